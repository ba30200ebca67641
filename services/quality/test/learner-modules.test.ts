import { randomUUID } from 'node:crypto';
import { AssessmentSubmitted, type EventEnvelope, ProgramPublished } from '@medcollab/events';
import { agreementBetween, envelope } from './support/events';
import { actor, codes, ok, type QualityHarness, startQuality } from './support/harness';

/**
 * Learner outcomes drilled down program → module: school S's program P has modules M1
 * (competency C1) and M2 (EPA E1 and C2, on which nobody was assessed). Cohort 2025 (6
 * students) and 2026 (5) are assessed on C1 and E1 in block B, cohort 2024 (2) too: too few.
 */
const ids = { S: randomUUID(), S9: randomUUID(), H: randomUUID(), P: randomUUID(), P2: randomUUID(), B: randomUUID() };
const C1 = randomUUID();
const C2 = randomUUID();
const E1 = randomUUID();
const M1 = randomUUID();
const M2 = randomUUID();
const YEAR = { kind: 'YEAR', id: '2026-2027' };

function assessment(studentId: string, cohortYear: number, programId: string, score: number, level: number): EventEnvelope {
  const submissionId = randomUUID();
  return envelope(AssessmentSubmitted, submissionId, {
    taskId: randomUUID(),
    submissionId,
    version: 1,
    studentId,
    schoolId: ids.S,
    assessorId: randomUUID(),
    instrumentId: randomUUID(),
    instrumentKind: 'MINI_CEX',
    purpose: 'SUMMATIVE',
    placementId: null,
    programId,
    cohortYear,
    blockId: ids.B,
    submittedAt: '2026-10-05T10:00:00.000Z',
    competencyResults: [
      { competencyId: C1, itemKey: 'history', scaleType: 'LIKERT', entrustmentMode: null, value: score, min: 1, max: 5 },
      { competencyId: E1, itemKey: 'epa1', scaleType: 'ENTRUSTMENT', entrustmentMode: 'RETROSPECTIVE', value: level, min: 1, max: 5 },
    ],
  });
}
const program = (programId: string, modules: { moduleId: string; title: string; competencyIds: string[] }[]) =>
  envelope(ProgramPublished, programId, {
    programId,
    schoolId: ids.S,
    title: 'Medicine',
    competencyIds: [C1, C2, E1],
    teachingMinutes: [],
    modules: modules.map((m) => ({ ...m, teachingMinutes: [] })),
    publishedAt: '2026-09-01T10:00:00.000Z',
  });
const students = (n: number) => Array.from({ length: n }, () => randomUUID());

let h: QualityHarness;
beforeAll(async () => {
  h = await startQuality();
  const agreementId = randomUUID();
  await h.deliver([
    agreementBetween(ids.S, ids.H, [], agreementId),
    program(ids.P, [
      { moduleId: M1, title: 'History taking', competencyIds: [C1] },
      { moduleId: M2, title: 'Acute care', competencyIds: [E1, C2] },
    ]),
    ...students(6).map((s) => assessment(s, 2025, ids.P, 5, 4)),
    ...students(5).map((s) => assessment(s, 2026, ids.P, 3, 3)),
    ...students(2).map((s) => assessment(s, 2024, ids.P, 1, 1)),
  ]);
});
afterAll(() => h.stop());

const FIG = 'metric item released suppression count mean';
const REPORT = `query($scope: QualityScopeInput!, $period: QualityPeriodInput!, $metrics: [QualityMetric!]) {
  qualityReport(scope: $scope, period: $period, metrics: $metrics) {
    rows { key figures { ${FIG} } modules { moduleId title competencyIds figures { ${FIG} } } } } }`;
type Fig = {
  metric: string;
  item: string | null;
  released: boolean;
  suppression: string | null;
  count: number | null;
  mean: number | null;
};
type Row = { key: string; figures: Fig[]; modules: { moduleId: string; title: string; competencyIds: string[]; figures: Fig[] }[] };
const sOfficer = actor(ids.S, 'QUALITY_OFFICER');
const report = (who: ReturnType<typeof actor>, scope: object, metrics = ['COMPETENCY_SCORE', 'ENTRUSTMENT_LEVEL']) =>
  h.call(who, REPORT, { scope, period: YEAR, metrics });
const rowsOf = async (who: ReturnType<typeof actor>, scope: object, metrics?: string[]): Promise<Row[]> =>
  ok(await report(who, scope, metrics)).qualityReport.rows as Row[];
const row = (rows: Row[], key: string) => rows.find((r) => r.key === key)!;

describe('learner outcomes per module (drill-down program → module)', () => {
  it("groups a program's per-competency outcomes under the modules that teach them", async () => {
    const rows = await rowsOf(sOfficer, { kind: 'PROGRAM', id: ids.P });
    const [m1, m2] = row(rows, `PROGRAM:${ids.P}`).modules;
    expect(m1).toMatchObject({ moduleId: M1, title: 'History taking', competencyIds: [C1] });
    // C1: 6 at 1 (5 of 1–5), 5 at 0.5, 2 at 0 → 8.5 / 13.
    expect(m1!.figures).toEqual([{ metric: 'COMPETENCY_SCORE', item: C1, released: true, suppression: null, count: 13, mean: 0.654 }]);
    expect(m2).toMatchObject({ moduleId: M2, competencyIds: [C2, E1].sort() });
    expect(m2!.figures).toEqual([{ metric: 'ENTRUSTMENT_LEVEL', item: E1, released: true, suppression: null, count: 13, mean: 3.154 }]);
  });

  it('shows a cohort the marks of its own row: a competency hidden there stays hidden under its module', async () => {
    const rows = await rowsOf(sOfficer, { kind: 'PROGRAM', id: ids.P });
    const small = row(rows, `COHORT:${ids.P}/2024`);
    const hidden = small.figures.find((f) => f.metric === 'COMPETENCY_SCORE' && f.item === C1)!;
    expect(hidden).toMatchObject({ released: false, count: null });
    expect(small.modules[0]!.figures).toEqual([hidden]);
    expect(row(rows, `COHORT:${ids.P}/2025`).modules[0]!.figures[0]).toMatchObject({ released: true, count: 6, mean: 1 });
    // Only the metrics asked for: no per-competency metric, no module figures.
    const below = await rowsOf(sOfficer, { kind: 'PROGRAM', id: ids.P }, ['BELOW_EXPECTED']);
    expect(row(below, `PROGRAM:${ids.P}`).modules.map((m) => m.figures)).toEqual([[], []]);
  });

  it('has no modules below rows that are not programs or cohorts', async () => {
    const rows = await rowsOf(actor(null, 'NETWORK_ADMIN'), { kind: 'NETWORK' });
    expect(row(rows, 'NETWORK:network').modules).toEqual([]);
    expect(row(rows, `PROGRAM:${ids.P}`).modules).toHaveLength(2);
  });

  it("is refused with its report: another school, a hospital, the school's teachers and students", async () => {
    for (const who of [
      actor(ids.S9, 'QUALITY_OFFICER'),
      actor(ids.H, 'QUALITY_OFFICER'),
      actor(ids.S, 'TEACHER'),
      actor(ids.S, 'STUDENT'),
    ]) {
      expect(codes(await report(who, { kind: 'PROGRAM', id: ids.P }))).toEqual(['FORBIDDEN']);
      expect(codes(await report(who, { kind: 'COHORT', id: ids.P, cohortYear: 2025 }))).toEqual(['FORBIDDEN']);
    }
  });

  it('reads every program and cohort with its modules in a constant number of SQL statements', async () => {
    // Measured on a warm report (the cache, ADR 0020): what is left is the modules' one batched statement.
    const measure = async () => {
      await rowsOf(actor(null, 'NETWORK_ADMIN'), { kind: 'NETWORK' });
      h.counter.reset();
      const rows = await rowsOf(actor(null, 'NETWORK_ADMIN'), { kind: 'NETWORK' });
      return { rows, statements: h.counter.count };
    };
    const first = await measure();
    await h.deliver([
      program(ids.P2, [{ moduleId: randomUUID(), title: 'Surgery', competencyIds: [C1] }]),
      ...students(5).map((s) => assessment(s, 2025, ids.P2, 4, 3)),
      ...students(5).map((s) => assessment(s, 2026, ids.P2, 4, 3)),
    ]);
    const second = await measure();
    expect(row(second.rows, `COHORT:${ids.P2}/2026`).modules.map((m) => m.title)).toEqual(['Surgery']);
    expect(second.statements).toBe(first.statements);
    expect(first.statements).toBeLessThanOrEqual(3);
  });
});
