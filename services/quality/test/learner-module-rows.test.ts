import { randomUUID } from 'node:crypto';
import { derivableIn, type Equation } from '@medcollab/anonymity';
import { AssessmentSubmitted, type EventEnvelope } from '@medcollab/events';
import { rebuildRollups } from '../src/data/rebuild';
import { agreementBetween, envelope } from './support/events';
import { actor, codes, ok, type QualityHarness, startQuality } from './support/harness';

/**
 * Learner outcomes per module (ADR 0043): each assessment counts in the module its placement
 * belongs to (assessment decides it, as for evaluations), or in the program's "no module", so a
 * program's MODULE rows add up to it — beside its COHORT rows, which add up to it too. Both
 * partitions are protected in one system: school S's program P has cohort 2025 (6 students) and
 * 2026 (2: too few), module M1 (5 students) and M2 (3: too few). Read as one tree, "P minus
 * cohort 2025" and "P minus M1" would give the small ones away.
 */
const ids = { S: randomUUID(), S2: randomUUID(), S9: randomUUID(), H: randomUUID(), P: randomUUID(), P2: randomUUID() };
const C1 = randomUUID();
const [M1, M2, M3, M4] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
const YEAR = { kind: 'YEAR', id: '2026-2027' };

function assessment(
  cohortYear: number,
  moduleId: string | null | undefined,
  score: number,
  school = ids.S,
  programId = ids.P,
): EventEnvelope {
  const submissionId = randomUUID();
  return envelope(AssessmentSubmitted, submissionId, {
    taskId: randomUUID(),
    submissionId,
    version: 1,
    studentId: randomUUID(),
    schoolId: school,
    assessorId: randomUUID(),
    instrumentId: randomUUID(),
    instrumentKind: 'MINI_CEX',
    purpose: 'SUMMATIVE',
    placementId: randomUUID(),
    programId,
    cohortYear,
    blockId: null,
    ...(moduleId === undefined ? {} : { moduleId }),
    submittedAt: '2026-10-05T10:00:00.000Z',
    competencyResults: [{ competencyId: C1, itemKey: 'history', scaleType: 'LIKERT', entrustmentMode: null, value: score, min: 1, max: 5 }],
  });
}

const REPORT = `query($scope: QualityScopeInput!, $period: QualityPeriodInput!) {
  qualityReport(scope: $scope, period: $period, metrics: [COMPETENCY_SCORE]) {
    rows { key scope { kind id moduleId cohortYear } figures { item released suppression count mean } } } }`;
interface Row {
  key: string;
  scope: { kind: string; id: string; moduleId: string | null; cohortYear: number | null };
  figures: { item: string | null; released: boolean; suppression: string | null; count: number | null; mean: number | null }[];
}
const office = actor(ids.S, 'QUALITY_OFFICER');
/** School S2's office and program P2, where every cohort and module is large enough to be shown. */
const office2 = actor(ids.S2, 'QUALITY_OFFICER');
const program2 = { kind: 'PROGRAM', id: ids.P2 };
const report = (who = office, scope: Record<string, unknown> = { kind: 'PROGRAM', id: ids.P }) =>
  h.call(who, REPORT, { scope, period: YEAR });
const rows = async (who = office, scope?: Record<string, unknown>): Promise<Row[]> =>
  ok(await report(who, scope)).qualityReport.rows as Row[];
const whole = (r: Row) => r.figures.find((f) => f.item === null)!;

/** The hidden rows that released ones give away through program = Σ cohorts and program = Σ modules. */
function exposed(list: readonly Row[]): string[] {
  const at = new Map(list.map((r, i) => [r.key, i]));
  const program = at.get(`PROGRAM:${ids.P}`)!;
  const sum = (kind: string): Equation =>
    new Map<number, number>([[program, -1], ...list.flatMap((r, i): [number, number][] => (r.scope.kind === kind ? [[i, 1]] : []))]);
  const hidden = new Set(list.flatMap((r, i) => (whole(r).released ? [] : [i])));
  return derivableIn([sum('COHORT'), sum('MODULE')], hidden).map((i) => list[i]!.key);
}

let h: QualityHarness;
beforeAll(async () => {
  h = await startQuality();
  await h.deliver([
    agreementBetween(ids.S, ids.H, []),
    agreementBetween(ids.S2, ids.H, []),
    // Cohort 2025: five in M1 and one in M2; cohort 2026: two in M2.
    ...[0, 1, 2, 3, 4].map(() => assessment(2025, M1, 4)),
    assessment(2025, M2, 2),
    assessment(2026, M2, 1),
    assessment(2026, M2, 3),
    // P2: cohort 2025 (seven) and 2026 (five); modules M3 and M4, six each.
    ...[0, 1, 2, 3, 4, 5, 6].map((i) => assessment(2025, i < 4 ? M3 : M4, 4, ids.S2, ids.P2)),
    ...[0, 1, 2, 3, 4].map((i) => assessment(2026, i < 2 ? M3 : M4, 2, ids.S2, ids.P2)),
  ]);
}, 240_000);
afterAll(() => h.stop());

describe('learner outcomes per module', () => {
  it("lists the program's modules beside its cohorts, each counting the assessments from its placements", async () => {
    const list = await rows(office2, program2);
    const modules = list.filter((r) => r.scope.kind === 'MODULE');
    expect(modules.map((r) => r.scope.moduleId).sort()).toEqual([M3, M4].sort());
    expect(modules.every((r) => r.scope.id === ids.P2)).toBe(true);
    // M3: four results of 4/5 and two of 2/5 (shares 0.75 and 0.25); M4: three of each.
    expect(whole(modules.find((r) => r.scope.moduleId === M3)!)).toMatchObject({ released: true, count: 6, mean: 0.583 });
    expect(whole(modules.find((r) => r.scope.moduleId === M4)!)).toMatchObject({ released: true, count: 6, mean: 0.5 });
    expect(whole(list.find((r) => r.key === `PROGRAM:${ids.P2}`)!)).toMatchObject({ released: true, count: 12 });
    expect(
      list
        .filter((r) => r.scope.kind === 'COHORT')
        .map((r) => r.scope.cohortYear)
        .sort(),
    ).toEqual([2025, 2026]);
  });

  it('protects cohorts and modules together: no small group is the program minus its other cohorts or modules', async () => {
    const list = await rows();
    const byKey = new Map(list.map((r) => [r.key, whole(r)]));
    expect(byKey.get(`MODULE:${ids.P}/${M2}`)).toMatchObject({ released: false, suppression: 'TOO_FEW_EVALUATORS' });
    expect(byKey.get(`COHORT:${ids.P}/2026`)).toMatchObject({ released: false, suppression: 'TOO_FEW_EVALUATORS' });
    expect(exposed(list)).toEqual([]);
    // Per competency as well (the whole is the sum of the competencies, crossed with both partitions).
    expect(list.every((r) => r.figures.every((f) => f.released === whole(r).released))).toBe(true);
  });

  it('counts assessments without a module in the program\'s "no module" row, and older events in no module at all', async () => {
    await h.deliver([
      ...[0, 1, 2, 3, 4].map(() => assessment(2025, null, 5, ids.S2, ids.P2)),
      assessment(2025, undefined, 5, ids.S2, ids.P2),
    ]);
    const list = await rows(office2, program2);
    const none = list.find((r) => r.scope.kind === 'MODULE' && r.scope.moduleId === null)!;
    expect(whole(none)).toMatchObject({ released: true, count: 5, mean: 1 });
    // The event without a module counts in the program and its cohort only.
    const count = (key: string) => whole(list.find((r) => r.key === key)!).count;
    expect([count(`PROGRAM:${ids.P2}`), count(`COHORT:${ids.P2}/2025`)]).toEqual([18, 13]);
    expect(list.filter((r) => r.scope.kind === 'MODULE').reduce((n, r) => n + (whole(r).count ?? 0), 0)).toBe(17);
  });

  it("is refused to another school's office and to hospitals; a school's own network report holds its modules", async () => {
    expect(codes(await report(actor(ids.S9, 'QUALITY_OFFICER')))).toEqual(['FORBIDDEN']);
    expect(codes(await report(office2))).toEqual(['FORBIDDEN']);
    expect(codes(await report(actor(ids.H, 'QUALITY_OFFICER')))).toEqual(['FORBIDDEN']);
    expect(codes(await report(actor(ids.H, 'QUALITY_OFFICER'), { kind: 'NETWORK' }))).toEqual(['FORBIDDEN']);
    expect(codes(await report(actor(ids.S, 'TEACHER')))).toEqual(['FORBIDDEN']);
    const network = await rows(office2, { kind: 'NETWORK' });
    expect(
      network
        .filter((r) => r.scope.kind === 'MODULE')
        .map((r) => r.scope.moduleId)
        .sort(),
    ).toEqual([M3, M4, null].sort());
    expect(codes(await h.call(office, REPORT, { scope: { kind: 'MODULE', id: ids.P }, period: YEAR }))).toEqual(['BAD_USER_INPUT']);
  });

  it('gives the same module rows after a rebuild', async () => {
    const before = [await rows(), await rows(office2, program2)];
    await rebuildRollups(h.dataSource, h.settings);
    expect([await rows(), await rows(office2, program2)]).toEqual(before);
  });
});
