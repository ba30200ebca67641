import { createHash, randomUUID } from 'node:crypto';
import { type EventEnvelope, EvaluationSubmitted } from '@medcollab/events';
import { bumpForDeltas, readGenerations } from '../src/data/generations';
import { rebuildRollups } from '../src/data/rebuild';
import { reportCacheOf } from '../src/data/report-cache';
import { freezeDuePeriods } from '../src/data/snapshots';
import { envelope } from './support/events';
import { actor, codes, ok, type QualityHarness, startQuality } from './support/harness';
import { BLOCK, scenario, YEAR } from './support/scenario';

/**
 * The cross-request cache of protected canonical reports (ADR 0020): served only while the
 * generation counters it was computed under stand; every apply, freeze and rebuild bumps them
 * (each test here fails without its bump); authorization runs before it on every request.
 */
let h: QualityHarness;
const { ids, events } = scenario();

beforeAll(async () => {
  h = await startQuality();
  await h.deliver(events);
});
afterAll(() => h.stop());

const REPORT = `query($scope: QualityScopeInput!, $period: QualityPeriodInput!, $metrics: [QualityMetric!]) {
  qualityReport(scope: $scope, period: $period, metrics: $metrics) {
    source { kind revision } rows { key scope { kind id } figures { metric item released suppression count evaluatorCount } } } }`;
type Figure = { metric: string; item: string | null; released: boolean; count: number | null };
type Row = { key: string; scope: { kind: string; id: string }; figures: Figure[] };

const officer = actor(ids.H1, 'QUALITY_OFFICER');
const hospital = { kind: 'INSTITUTION', id: ids.H1 };
const report = async (who = officer, scope: Record<string, unknown> = hospital) =>
  h.call(who, REPORT, { scope, period: { kind: 'YEAR', id: YEAR }, metrics: ['TEACHER_SCORE', 'TASKS_ON_TIME'] });
const rowsOf = async (who = officer, scope: Record<string, unknown> = hospital): Promise<Row[]> =>
  ok(await report(who, scope)).qualityReport.rows as Row[];
const teacherCount = (rows: Row[], teacher: string) =>
  rows.find((r) => r.scope.id === teacher)?.figures.find((f) => f.metric === 'TEACHER_SCORE' && f.item === null)?.count;

let extra = 0;
/** One more evaluation of T3 (H1, D2) by a new evaluator. */
function evaluationOfT3(): EventEnvelope {
  const submissionId = randomUUID();
  extra++;
  return envelope(EvaluationSubmitted, submissionId, {
    submissionId,
    kind: 'TEACHER_EVALUATION',
    evaluatorPseudonym: createHash('sha256').update(`cache-evaluator-${extra}`).digest('hex'),
    schoolId: ids.S2,
    hospitalId: ids.H1,
    departmentId: ids.D2,
    teacherId: ids.T3,
    blockId: BLOCK,
    placementId: randomUUID(),
    academicYear: YEAR,
    submittedAt: '2026-10-21T10:00:00.000Z',
    itemScores: [{ itemKey: 'explains', label: 'Explains', value: 5, min: 1, max: 5 }],
  });
}

describe('report cache', () => {
  it('serves a warm report in a small constant number of SQL statements, the same figures as computed', async () => {
    h.counter.reset();
    const cold = await rowsOf();
    const coldStatements = h.counter.count;
    h.counter.reset();
    const warm = await rowsOf();
    const warmStatements = h.counter.count;
    expect(warm).toEqual(cold);
    expect(teacherCount(warm, ids.T3)).toBe(7);
    // The caller's institution (authorization) and the generation counters; nothing about the figures.
    expect(warmStatements).toBeLessThanOrEqual(3);
    expect(warmStatements).toBeLessThan(coldStatements);
    // A department of the hospital is read from the same cached canonical report.
    h.counter.reset();
    const department = await rowsOf(officer, { kind: 'DEPARTMENT', id: ids.D2 });
    expect(teacherCount(department, ids.T3)).toBe(7);
    expect(h.counter.count).toBeLessThanOrEqual(4);
  });

  it('refuses other institutions and roles with the cache warm, and gives a school its own cohort only', async () => {
    expect(teacherCount(await rowsOf(), ids.T3)).toBe(7);
    const hits = reportCacheOf(h.dataSource).stats.hits;
    for (const who of [
      actor(ids.H2, 'QUALITY_OFFICER'),
      actor(ids.H1, 'TEACHER'),
      actor(ids.H1, 'STUDENT'),
      actor(ids.H1, 'COORDINATOR'),
      actor(ids.S2, 'TEACHER'),
      actor(null),
    ])
      expect(codes(await report(who))).toEqual(['FORBIDDEN']);
    expect(codes(await report(actor(ids.H2, 'QUALITY_OFFICER'), { kind: 'DEPARTMENT', id: ids.D2 }))).toEqual(['FORBIDDEN']);
    // Refused before the cache was consulted.
    expect(reportCacheOf(h.dataSource).stats.hits).toBe(hits);
    // S1's quality office reads H1 (a partner) with its own students only: T3 was evaluated by S2's.
    const school = await rowsOf(actor(ids.S1, 'QUALITY_OFFICER'));
    expect(teacherCount(school, ids.T3)).toBeUndefined();
    expect(
      school.find((r) => r.scope.id === ids.D2)?.figures.find((f) => f.metric === 'TEACHER_SCORE' && f.item === null)?.count ?? 0,
    ).toBe(0);
    // Its coordinator reads a department, from the same cached report as the officer.
    expect(teacherCount(await rowsOf(actor(ids.H1, 'COORDINATOR'), { kind: 'DEPARTMENT', id: ids.D2 }), ids.T3)).toBe(7);
  });

  it('is invalidated by an applied event (the consumer bumps the generation in its transaction)', async () => {
    expect(teacherCount(await rowsOf(), ids.T3)).toBe(7);
    await h.deliver([evaluationOfT3()]);
    expect(teacherCount(await rowsOf(), ids.T3)).toBe(8);
  });

  it("bumps a teacher's hospital when only teacher cells changed (looked up through the department)", async () => {
    const before = await readGenerations(h.dataSource.manager, ['INSTITUTION|' + ids.H1]);
    await h.dataSource.transaction((em) =>
      bumpForDeltas(em, [
        {
          key: {
            metric: 'TEACHER_SCORE',
            school: '*',
            scopeKind: 'TEACHER',
            scopeId: `${ids.D2}/${ids.T3}`,
            periodKind: 'YEAR',
            periodId: YEAR,
            item: '',
            parent: ids.D2,
          },
          n: 0,
          totalMilli: 0,
          histogram: {},
          evaluators: {},
        },
      ]),
    );
    expect(await readGenerations(h.dataSource.manager, ['INSTITUTION|' + ids.H1])).toBe(String(Number(before) + 1));
  });

  it('is invalidated by a rebuild', async () => {
    // Figures that drifted from the history (written behind the rollups' back, so nothing is bumped)…
    await h.dataSource.query(
      `UPDATE rollup_cell SET n = n + 10 WHERE metric = 'TEACHER_SCORE' AND school = '*' AND scope_kind = 'TEACHER'
          AND scope_id = $1 AND period_kind = 'YEAR' AND item = ''`,
      [`${ids.D2}/${ids.T3}`],
    );
    await h.deliver([evaluationOfT3()]); // …are read (and cached) after the next change:
    expect(teacherCount(await rowsOf(), ids.T3)).toBe(19);
    await rebuildRollups(h.dataSource, h.settings);
    expect(teacherCount(await rowsOf(), ids.T3)).toBe(9);
  });

  it('is invalidated by a freeze: the report turns from live figures to the snapshot', async () => {
    const live = ok(await report()).qualityReport;
    expect(live.source).toMatchObject({ kind: 'LIVE', revision: null });
    expect(teacherCount(ok(await report()).qualityReport.rows, ids.T3)).toBe(9);
    const frozen = await freezeDuePeriods(h.dataSource, new Date('2027-09-02T00:00:00Z'), h.settings.minEvaluators, 0);
    expect(frozen).toEqual(expect.arrayContaining([{ kind: 'YEAR', id: YEAR }]));
    const after = ok(await report()).qualityReport;
    expect(after.source).toMatchObject({ kind: 'SNAPSHOT', revision: 0 });
    expect(teacherCount(after.rows, ids.T3)).toBe(9);
  });
});
