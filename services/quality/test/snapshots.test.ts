import { createHash, randomUUID } from 'node:crypto';
import { protectTree } from '@medcollab/anonymity';
import { type EventEnvelope, EvaluationSubmitted, PlacementConfirmed } from '@medcollab/events';
import { freezeDuePeriods } from '../src/data/snapshots';
import { envelope } from './support/events';
import { actor, codes, ok, type QualityHarness, startQuality } from './support/harness';

/**
 * Period snapshots and revisions, and the year-and-blocks protection, on a hand-made hospital:
 * H has departments D1 (teachers A and B) and D2 (teacher C); blocks B1 (September 2026) and B2
 * (October 2026) of the year 2026-2027.
 */
const YEAR = '2026-2027';
const id = () => randomUUID();
const ids = { S: id(), H: id(), D1: id(), D2: id(), A: id(), B: id(), C: id(), B1: id(), B2: id(), G: id(), D3: id(), P: id(), Q: id() };
const BLOCKS = {
  [ids.B1]: { startsOn: '2026-09-07', endsOn: '2026-10-04', submittedAt: '2026-10-02T10:00:00.000Z' },
  [ids.B2]: { startsOn: '2026-10-05', endsOn: '2026-11-01', submittedAt: '2026-10-30T10:00:00.000Z' },
};
const departmentOf = (teacher: string) => (teacher === ids.C ? ids.D2 : teacher === ids.P || teacher === ids.Q ? ids.D3 : ids.D1);
const hospitalOf = (teacher: string) => (teacher === ids.P || teacher === ids.Q ? ids.G : ids.H);

let seq = 0;
function evaluations(n: number, teacher: string, block: string, score: number, tag = 'e'): EventEnvelope[] {
  return Array.from({ length: n }, () => {
    const submissionId = id();
    seq++;
    return envelope(EvaluationSubmitted, submissionId, {
      submissionId,
      kind: 'TEACHER_EVALUATION',
      evaluatorPseudonym: createHash('sha256').update(`${tag}-${seq}`).digest('hex'),
      schoolId: ids.S,
      hospitalId: hospitalOf(teacher),
      departmentId: departmentOf(teacher),
      teacherId: teacher,
      blockId: block,
      placementId: id(),
      academicYear: YEAR,
      submittedAt: BLOCKS[block]!.submittedAt,
      itemScores: [{ itemKey: 'overall', label: 'Overall', value: score, min: 1, max: 5 }],
    });
  });
}

function placement(block: string, departmentId: string, hospitalId = ids.H): EventEnvelope {
  const placementId = id();
  const b = BLOCKS[block]!;
  return envelope(PlacementConfirmed, placementId, {
    placementId,
    studentId: id(),
    schoolId: ids.S,
    hospitalId,
    departmentId,
    blockId: block,
    supervisorId: null,
    startsOn: b.startsOn,
    endsOn: b.endsOn,
    at: '2026-09-01T00:00:00.000Z',
    accessUntil: null,
  });
}

let h: QualityHarness;
const officer = actor(ids.H, 'QUALITY_OFFICER');
const gOfficer = actor(ids.G, 'QUALITY_OFFICER');

beforeAll(async () => {
  h = await startQuality();
  await h.deliver([
    placement(ids.B1, ids.D1),
    placement(ids.B2, ids.D1),
    placement(ids.B1, ids.D2),
    // A: 7 in B1, 6 in B2; B: 6 in B1, 5 in B2; C: 6 in B1 and only 2 in B2.
    ...evaluations(7, ids.A, ids.B1, 4),
    ...evaluations(6, ids.B, ids.B1, 3),
    ...evaluations(6, ids.C, ids.B1, 5),
    ...evaluations(6, ids.A, ids.B2, 4),
    ...evaluations(5, ids.B, ids.B2, 2),
    ...evaluations(2, ids.C, ids.B2, 1),
    // Hospital G, in B1 only: P 7, Q 6.
    placement(ids.B1, ids.D3, ids.G),
    ...evaluations(7, ids.P, ids.B1, 4),
    ...evaluations(6, ids.Q, ids.B1, 3),
  ]);
});
afterAll(() => h.stop());

const REPORT = `query($scope: QualityScopeInput!, $period: QualityPeriodInput!, $revision: Int) {
  qualityReport(scope: $scope, period: $period, metrics: [TEACHER_SCORE], revision: $revision) {
    source { kind revision latestRevision revisions { revision reason changedCells frozenAt } }
    changes { rowKey countBefore countAfter meanBefore meanAfter }
    rows { key scope { kind id } figures { item released suppression count mean evaluatorCount } } } }`;

type Fig = { item: string | null; released: boolean; suppression: string | null; count: number | null; mean: number | null };
type Row = { key: string; scope: { kind: string; id: string }; figures: Fig[] };

async function report(period: { kind: string; id: string }, revision?: number, hospital = ids.H) {
  return ok(
    await h.call(hospital === ids.H ? officer : gOfficer, REPORT, { scope: { kind: 'INSTITUTION', id: hospital }, period, revision }),
  ).qualityReport;
}
const whole = (rows: Row[], key: string): Fig => rows.find((r) => r.key === key)!.figures.find((f) => f.item === null)!;
const KEYS = {
  H: `INSTITUTION:${ids.H}`,
  D1: `DEPARTMENT:${ids.D1}`,
  D2: `DEPARTMENT:${ids.D2}`,
  A: `TEACHER:${ids.D1}/${ids.A}`,
  B: `TEACHER:${ids.D1}/${ids.B}`,
  C: `TEACHER:${ids.D2}/${ids.C}`,
};
const G = { G: `INSTITUTION:${ids.G}`, D3: `DEPARTMENT:${ids.D3}`, P: `TEACHER:${ids.D3}/${ids.P}`, Q: `TEACHER:${ids.D3}/${ids.Q}` };
const PARENT: Record<string, string | null> = { H: null, D1: 'H', D2: 'H', A: 'D1', B: 'D1', C: 'D2' };

/**
 * What an attacker holding the year's and the blocks' reports works out: every figure is a
 * (count, sum) pair; each equation (a parent is the sum of its children; the year is the sum of
 * its blocks) with exactly one unknown gives that unknown; repeat until nothing new.
 */
function difference(
  grid: Record<string, Record<string, Fig>>,
  columns: string[],
  periodTree: Record<string, string[]> = { Y: columns.filter((c) => c !== 'Y') },
): Record<string, Record<string, { count: number; sum: number }>> {
  const known: Record<string, Record<string, { count: number; sum: number }>> = {};
  for (const c of columns)
    for (const [node, f] of Object.entries(grid[c]!))
      if (f.released) (known[c] ??= {})[node] = { count: f.count ?? 0, sum: (f.count ?? 0) * (f.mean ?? 0) };
  const equations: { total: [string, string]; parts: [string, string][] }[] = [];
  for (const c of columns)
    for (const parent of Object.keys(PARENT))
      if (Object.values(PARENT).includes(parent))
        equations.push({
          total: [c, parent],
          parts: Object.keys(PARENT)
            .filter((n) => PARENT[n] === parent)
            .map((n): [string, string] => [c, n]),
        });
  for (const node of Object.keys(PARENT))
    for (const [total, parts] of Object.entries(periodTree))
      equations.push({ total: [total, node], parts: parts.map((c): [string, string] => [c, node]) });
  const get = ([c, n]: [string, string]) => known[c]?.[n];
  for (let changed = true; changed;) {
    changed = false;
    for (const e of equations) {
      const unknown = [e.total, ...e.parts].filter((p) => !get(p));
      if (unknown.length !== 1) continue;
      const [c, n] = unknown[0]!;
      const parts = e.parts.filter((p) => get(p));
      const sum = (xs: [string, string][], f: 'count' | 'sum') => xs.reduce((s, p) => s + get(p)![f], 0);
      const value =
        unknown[0] === e.total
          ? { count: sum(parts, 'count'), sum: sum(parts, 'sum') }
          : { count: get(e.total)!.count - sum(parts, 'count'), sum: get(e.total)!.sum - sum(parts, 'sum') };
      (known[c] ??= {})[n] = value;
      changed = true;
    }
  }
  return known;
}

describe('year minus other blocks', () => {
  it('a suppressed block figure cannot be recovered by differencing the year with the released blocks', async () => {
    const columns = ['Y', 'B1', 'B2'];
    const periods: Record<string, { kind: string; id: string }> = {
      Y: { kind: 'YEAR', id: YEAR },
      B1: { kind: 'BLOCK', id: ids.B1 },
      B2: { kind: 'BLOCK', id: ids.B2 },
    };
    const grid: Record<string, Record<string, Fig>> = {};
    for (const c of columns) {
      const r = await report(periods[c]!);
      expect(r.source).toMatchObject({ kind: 'LIVE', revision: null });
      grid[c] = Object.fromEntries(Object.entries(KEYS).map(([n, key]) => [n, whole(r.rows, key)]));
    }
    // C has only 2 evaluators in B2: hidden there.
    expect(grid.B2!.C).toMatchObject({ released: false, suppression: 'TOO_FEW_EVALUATORS' });
    const known = difference(grid, columns);
    for (const c of columns)
      for (const node of Object.keys(KEYS))
        if (!grid[c]![node]!.released) expect([c, node, known[c]?.[node]]).toEqual([c, node, undefined]);

    // The same attack succeeds against each period protected on its own (the tree only): the report must not do that.
    const alone: Record<string, Record<string, Fig>> = {};
    const counts: Record<string, Record<string, number>> = {
      Y: { H: 32, D1: 24, D2: 8, A: 13, B: 11, C: 8 },
      B1: { H: 19, D1: 13, D2: 6, A: 7, B: 6, C: 6 },
      B2: { H: 13, D1: 11, D2: 2, A: 6, B: 5, C: 2 },
    };
    const nodes = Object.keys(PARENT);
    for (const c of columns) {
      const marks = protectTree(
        nodes.map((n) => ({ evaluations: counts[c]![n]!, evaluators: counts[c]![n]! })),
        nodes.map((n) => (PARENT[n] ? nodes.indexOf(PARENT[n]!) : -1)),
        5,
      );
      alone[c] = Object.fromEntries(
        nodes.map((n, i) => [
          n,
          { item: null, released: marks[i] === null, suppression: marks[i] ?? null, count: marks[i] ? null : counts[c]![n]!, mean: 1 },
        ]),
      );
    }
    expect(alone.Y!.C!.released).toBe(true);
    expect(difference(alone, columns).B2?.C?.count).toBe(2);
  });
});

describe('term minus its other blocks', () => {
  it('a suppressed block figure cannot be recovered from its term, the year and the released blocks', async () => {
    // B1 and B2 both fall in the first term; the second term is empty.
    const columns = ['Y', 'T1', 'T2', 'B1', 'B2'];
    const tree = { Y: ['T1', 'T2'], T1: ['B1', 'B2'] };
    const periods: Record<string, { kind: string; id: string }> = {
      Y: { kind: 'YEAR', id: YEAR },
      T1: { kind: 'TERM', id: `${YEAR}/T1` },
      T2: { kind: 'TERM', id: `${YEAR}/T2` },
      B1: { kind: 'BLOCK', id: ids.B1 },
      B2: { kind: 'BLOCK', id: ids.B2 },
    };
    const grid: Record<string, Record<string, Fig>> = {};
    for (const c of columns) {
      const r = await report(periods[c]!);
      // An empty period (T2) has no rows below the root: every figure is a released zero.
      const empty: Fig = { item: null, released: true, suppression: null, count: 0, mean: null };
      grid[c] = Object.fromEntries(
        Object.entries(KEYS).map(([n, key]) => [n, (r.rows as Row[]).some((x) => x.key === key) ? whole(r.rows, key) : empty]),
      );
    }
    expect(grid.B2!.C).toMatchObject({ released: false, suppression: 'TOO_FEW_EVALUATORS' });
    // The term holds what its blocks hold, and is marked the same as the year.
    expect(grid.T1).toEqual(grid.Y);
    const known = difference(grid, columns, tree);
    for (const c of columns)
      for (const node of Object.keys(KEYS))
        if (!grid[c]![node]!.released) expect([c, node, known[c]?.[node]]).toEqual([c, node, undefined]);
    // Step by step: with the term protected on its own (the scope tree only), its figures equal the
    // year's unprotected ones and "term minus B1" gives C's two evaluations in B2 away.
    // Protected alone (the scope tree only) B1 releases everyone (all have k), and T1 too.
    const released = (counts: Record<string, number>) =>
      Object.fromEntries(
        Object.entries(counts).map(([n, count]): [string, Fig] => [n, { item: null, released: true, suppression: null, count, mean: 1 }]),
      );
    const alone = {
      T1: released({ H: 32, D1: 24, D2: 8, A: 13, B: 11, C: 8 }),
      B1: released({ H: 19, D1: 13, D2: 6, A: 7, B: 6, C: 6 }),
      B2: grid.B2!,
    };
    expect(difference(alone, ['T1', 'B1', 'B2'], { T1: ['B1', 'B2'] }).B2?.C?.count).toBe(2);
  });
});

describe('period snapshots and revisions', () => {
  const B1 = { kind: 'BLOCK', id: ids.B1 };

  it('freezes a block once it has ended, and shows its snapshot instead of live figures', async () => {
    const live = await report(B1, undefined, ids.G);
    expect(live.source).toMatchObject({ kind: 'LIVE', revision: null, latestRevision: null, revisions: [] });
    // Nothing ended yet on October 1st.
    expect(await freezeDuePeriods(h.dataSource, new Date('2026-10-01T00:00:00Z'), 5, 0)).toEqual([]);
    const frozen = await freezeDuePeriods(h.dataSource, new Date('2026-10-06T00:00:00Z'), 5, 0);
    expect(frozen).toEqual([B1]);
    // A second sweep finds nothing more to do.
    expect(await freezeDuePeriods(h.dataSource, new Date('2026-10-06T01:00:00Z'), 5, 0)).toEqual([]);

    const snap = await report(B1, undefined, ids.G);
    expect(snap.source).toMatchObject({ kind: 'SNAPSHOT', revision: 0, latestRevision: 0 });
    expect(snap.source.revisions).toEqual([{ revision: 0, reason: 'CLOSED', changedCells: 0, frozenAt: '2026-10-06T00:00:00.000Z' }]);
    expect(snap.rows).toEqual(live.rows);
    expect(whole(snap.rows, G.P)).toMatchObject({ released: true, count: 7, mean: 4 });
    // The year and B2 are still open.
    expect((await report({ kind: 'BLOCK', id: ids.B2 })).source.kind).toBe('LIVE');
    expect((await report({ kind: 'YEAR', id: YEAR })).source.kind).toBe('LIVE');
  });

  it('turns late events into a visible revision; the published figure never shifts silently', async () => {
    // One late evaluation of A in B1 (score 1).
    await h.deliver(evaluations(1, ids.P, ids.B1, 1, 'late'));
    const still = await report(B1, undefined, ids.G);
    expect(still.source).toMatchObject({ kind: 'SNAPSHOT', revision: 0 });
    expect(whole(still.rows, G.P)).toMatchObject({ released: true, count: 7, mean: 4 });

    expect(await freezeDuePeriods(h.dataSource, new Date('2026-10-07T00:00:00Z'), 5, 0)).toEqual([B1]);
    const r1 = await report(B1, undefined, ids.G);
    expect(r1.source).toMatchObject({ kind: 'SNAPSHOT', revision: 1, latestRevision: 1 });
    expect(r1.source.revisions.map((r: { revision: number; reason: string }) => [r.revision, r.reason])).toEqual([
      [0, 'CLOSED'],
      [1, 'LATE_EVENTS'],
    ]);
    expect(r1.source.revisions[1].changedCells).toBeGreaterThan(0);
    // Revision 1 minus revision 0 would be the lone late evaluator's score: A (and what adds it up) is withheld.
    expect(whole(r1.rows, G.P)).toMatchObject({ released: false, suppression: 'COMPLEMENTARY' });
    expect(whole(r1.rows, G.D3).released).toBe(false);
    expect(whole(r1.rows, G.G).released).toBe(false);
    // What the late event did not touch stays as published.
    expect(whole(r1.rows, G.Q)).toMatchObject({ released: true, count: 6, mean: 3 });
    // Revision 0 is still there, unchanged.
    const r0 = await report(B1, 0, ids.G);
    expect(r0.source).toMatchObject({ kind: 'SNAPSHOT', revision: 0, latestRevision: 1 });
    expect(whole(r0.rows, G.P)).toMatchObject({ released: true, count: 7, mean: 4 });
    expect(codes(await h.call(gOfficer, REPORT, { scope: { kind: 'INSTITUTION', id: ids.G }, period: B1, revision: 7 }))).toEqual([
      'NOT_FOUND',
    ]);
  });

  it('publishes a late change once k evaluators stand behind it, and says what changed', async () => {
    await h.deliver(evaluations(4, ids.P, ids.B1, 1, 'later'));
    expect(await freezeDuePeriods(h.dataSource, new Date('2026-10-08T00:00:00Z'), 5, 0)).toEqual([B1]);
    const r2 = await report(B1, undefined, ids.G);
    expect(r2.source).toMatchObject({ kind: 'SNAPSHOT', revision: 2 });
    // 7 × 4 + 5 × 1 over 12: five late evaluators, so revision 2 minus revision 0 gives nobody away.
    expect(whole(r2.rows, G.P)).toMatchObject({ released: true, count: 12, mean: 2.75 });
    // Nothing was released in both revisions 1 and 2 and changed.
    expect(r2.changes).toEqual([]);

    await h.deliver(evaluations(5, ids.P, ids.B1, 5, 'latest'));
    expect(await freezeDuePeriods(h.dataSource, new Date('2026-10-09T00:00:00Z'), 5, 0)).toEqual([B1]);
    const r3 = await report(B1, undefined, ids.G);
    expect(r3.source.revision).toBe(3);
    expect(r3.changes).toEqual(
      expect.arrayContaining([{ rowKey: G.P, countBefore: 12, countAfter: 17, meanBefore: 2.75, meanAfter: 3.412 }]),
    );
  });

  it('refuses another hospital and a wrong role', async () => {
    const vars = { scope: { kind: 'INSTITUTION', id: ids.G }, period: B1, revision: 0 };
    expect(codes(await h.call(actor(id(), 'QUALITY_OFFICER'), REPORT, vars))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(officer, REPORT, vars))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(actor(ids.G, 'STUDENT'), REPORT, vars))).toEqual(['FORBIDDEN']);
  });
});
