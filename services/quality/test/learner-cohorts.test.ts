import { randomUUID } from 'node:crypto';
import { AssessmentSubmitted, type EventEnvelope, PostProfilePublished } from '@medcollab/events';
import { agreementBetween, envelope } from './support/events';
import { actor, codes, ok, type QualityHarness, startQuality } from './support/harness';

/**
 * Learner outcomes per competency, per cohort (entry year) and per post profile, and the share
 * of students below the expected level per block. School S's program P has cohorts 2025 (6
 * students, weak in block B, strong in block B2), 2024 (2, weak), 2026 (5, strong) and 2023
 * (5, strong). Post profile PP requires C1 at 4 and EPA E1 at 3 on a 1–5 scale.
 */
const ids = {
  S: randomUUID(),
  S9: randomUUID(),
  H: randomUUID(),
  P: randomUUID(),
  P2: randomUUID(),
  C1: randomUUID(),
  E1: randomUUID(),
  B: randomUUID(),
  B2: randomUUID(),
  PP: randomUUID(),
};
const YEAR = { kind: 'YEAR', id: '2026-2027' };
const T1 = { kind: 'TERM', id: '2026-2027/T1' };
const BLOCK_B = { kind: 'BLOCK', id: ids.B };
const BLOCK_B2 = { kind: 'BLOCK', id: ids.B2 };

function assessment(
  studentId: string,
  cohortYear: number,
  programId: string,
  blockId: string,
  submittedAt: string,
  score: number,
  entrustment: number,
): EventEnvelope {
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
    blockId,
    submittedAt,
    competencyResults: [
      { competencyId: ids.C1, itemKey: 'history', scaleType: 'LIKERT', entrustmentMode: null, value: score, min: 1, max: 5 },
      {
        competencyId: ids.E1,
        itemKey: 'epa1',
        scaleType: 'ENTRUSTMENT',
        entrustmentMode: 'RETROSPECTIVE',
        value: entrustment,
        min: 1,
        max: 5,
      },
    ],
  });
}

const students = (n: number) => Array.from({ length: n }, () => randomUUID());
const cohort2025 = students(6);
const cohort2024 = students(2);
const cohort2026 = students(5);
const cohort2023 = students(5);
const IN_B = '2026-10-05T10:00:00.000Z';
const IN_B2 = '2027-03-10T10:00:00.000Z';

let h: QualityHarness;
beforeAll(async () => {
  h = await startQuality();
  const agreementId = randomUUID();
  await h.deliver([
    agreementBetween(ids.S, ids.H, [], agreementId),
    // Weak: C1 2 of 5 (0.25 of the scale), E1 level 2; strong: C1 5, E1 4.
    ...cohort2025.map((s) => assessment(s, 2025, ids.P, ids.B, IN_B, 2, 2)),
    ...cohort2024.map((s) => assessment(s, 2024, ids.P, ids.B, IN_B, 2, 2)),
    ...cohort2026.map((s) => assessment(s, 2026, ids.P, ids.B, IN_B, 5, 4)),
    ...cohort2023.map((s) => assessment(s, 2023, ids.P, ids.B, IN_B, 5, 4)),
    ...cohort2025.map((s) => assessment(s, 2025, ids.P, ids.B2, IN_B2, 5, 4)),
  ]);
  // The post profile arrives after the assessments: every student's readiness is folded again.
  await h.deliver([
    envelope(PostProfilePublished, ids.PP, {
      postProfileId: ids.PP,
      title: 'Foundation doctor',
      scale: { name: 'Entrustment', min: 1, max: 5 },
      requirements: [
        { competencyId: ids.C1, level: 4 },
        { competencyId: ids.E1, level: 3 },
      ],
    }),
  ]);
});
afterAll(() => h.stop());

const FIG = 'metric item released suppression count mean evaluatorCount distribution { value count }';
const REPORT = `query($scope: QualityScopeInput!, $period: QualityPeriodInput!, $metrics: [QualityMetric!]) {
  qualityReport(scope: $scope, period: $period, metrics: $metrics) {
    rows { key scope { kind id cohortYear program { id } } figures { ${FIG} } } } }`;
type Fig = {
  metric: string;
  item: string | null;
  released: boolean;
  suppression: string | null;
  count: number | null;
  mean: number | null;
  distribution: { value: string; count: number }[] | null;
};
type Row = { key: string; scope: { kind: string; id: string; cohortYear: number | null }; figures: Fig[] };
const sOfficer = actor(ids.S, 'QUALITY_OFFICER');
const report = async (who: ReturnType<typeof actor>, scope: object, period: object, metrics: string[]) =>
  h.call(who, REPORT, { scope, period, metrics });
const rowsOf = async (scope: object, period: object, metrics: string[]): Promise<Row[]> =>
  ok(await report(sOfficer, scope, period, metrics)).qualityReport.rows as Row[];
const fig = (rows: Row[], key: string, metric: string, item: string | null = null): Fig =>
  rows.find((r) => r.key === key)!.figures.find((f) => f.metric === metric && f.item === item)!;
const cohortKey = (year: number) => `COHORT:${ids.P}/${year}`;

describe('learner outcomes per cohort, competency, block and post profile', () => {
  it('drills a program down to its cohorts, protecting them with k distinct students', async () => {
    const rows = await rowsOf({ kind: 'PROGRAM', id: ids.P }, BLOCK_B, ['BELOW_EXPECTED']);
    expect(rows.map((r) => r.key)).toEqual([`PROGRAM:${ids.P}`, cohortKey(2023), cohortKey(2024), cohortKey(2025), cohortKey(2026)]);
    expect(rows[3]!.scope).toMatchObject({ kind: 'COHORT', id: ids.P, cohortYear: 2025 });
    // Share below the expected level in block B: 6 + 2 weak of 18.
    expect(fig(rows, `PROGRAM:${ids.P}`, 'BELOW_EXPECTED')).toMatchObject({ released: true, count: 18, mean: 0.444 });
    expect(fig(rows, cohortKey(2025), 'BELOW_EXPECTED')).toMatchObject({ released: true, count: 6, mean: 1 });
    expect(fig(rows, cohortKey(2024), 'BELOW_EXPECTED')).toMatchObject({ released: false, suppression: 'TOO_FEW_EVALUATORS', count: null });
    // One more cohort is hidden, or 2024 would be the program minus the others.
    const complementary = [2023, 2025, 2026].filter((y) => fig(rows, cohortKey(y), 'BELOW_EXPECTED').suppression === 'COMPLEMENTARY');
    expect(complementary).toHaveLength(1);
  });

  it('shows each point of the year: the same cohort below the expected level in one block and not in the next', async () => {
    const later = await rowsOf({ kind: 'PROGRAM', id: ids.P }, BLOCK_B2, ['BELOW_EXPECTED']);
    expect(fig(later, `PROGRAM:${ids.P}`, 'BELOW_EXPECTED')).toMatchObject({ released: true, count: 6, mean: 0 });
    // Over the year each student counts once, by their latest results: only 2024's two remain below.
    const year = await rowsOf({ kind: 'PROGRAM', id: ids.P }, YEAR, ['BELOW_EXPECTED']);
    expect(fig(year, `PROGRAM:${ids.P}`, 'BELOW_EXPECTED')).toMatchObject({ released: true, count: 18, mean: 0.111 });
  });

  it('keeps competency results per competency as well as together', async () => {
    const rows = await rowsOf({ kind: 'PROGRAM', id: ids.P }, BLOCK_B, ['COMPETENCY_SCORE', 'ENTRUSTMENT_LEVEL']);
    // C1 in block B: 8 students at 0.25 of the scale, 10 at 1.
    expect(fig(rows, `PROGRAM:${ids.P}`, 'COMPETENCY_SCORE', ids.C1)).toMatchObject({ released: true, count: 18, mean: 0.667 });
    expect(fig(rows, `PROGRAM:${ids.P}`, 'ENTRUSTMENT_LEVEL', ids.E1)).toMatchObject({ released: true, count: 18, mean: 3.111 });
    expect(fig(rows, cohortKey(2025), 'ENTRUSTMENT_LEVEL', ids.E1)).toMatchObject({ count: 6, mean: 2 });
    // The whole is the sum of its competencies: hiding 2024 in one hides it in the other.
    expect(fig(rows, cohortKey(2024), 'COMPETENCY_SCORE')).toMatchObject({ released: false });
    expect(fig(rows, cohortKey(2024), 'COMPETENCY_SCORE', ids.C1)).toMatchObject({ released: false });
  });

  it('gives the readiness distribution against each post profile, cumulative through the period', async () => {
    const term = await rowsOf({ kind: 'PROGRAM', id: ids.P }, T1, ['READINESS']);
    // After block B, a weak student has C1 at 2 of the required 4 (1/3 of the way) and E1 at 2 of 3 (1/2): 0.417.
    expect(fig(term, `PROGRAM:${ids.P}`, 'READINESS', ids.PP)).toMatchObject({
      released: true,
      count: 18,
      mean: 0.741,
      distribution: [
        { value: '0.4', count: 8 },
        { value: '1', count: 10 },
      ],
    });
    // By the year's end cohort 2025 caught up (block B2): only 2024's two are still at 0.4.
    const program = await rowsOf({ kind: 'PROGRAM', id: ids.P }, YEAR, ['READINESS']);
    expect(fig(program, `PROGRAM:${ids.P}`, 'READINESS', ids.PP)).toMatchObject({
      released: true,
      count: 18,
      distribution: [
        { value: '0.4', count: 2 },
        { value: '1', count: 16 },
      ],
    });
  });

  it('refuses cohorts and learner metrics to another school, a hospital, a student and an instructor', async () => {
    const cohort = { kind: 'COHORT', id: ids.P, cohortYear: 2025 };
    for (const who of [
      actor(ids.S9, 'QUALITY_OFFICER'),
      actor(ids.H, 'QUALITY_OFFICER'),
      actor(ids.S, 'STUDENT'),
      actor(ids.S, 'TEACHER'),
    ]) {
      expect(codes(await report(who, cohort, YEAR, ['READINESS']))).toEqual(['FORBIDDEN']);
      expect(codes(await report(who, { kind: 'PROGRAM', id: ids.P }, BLOCK_B, ['BELOW_EXPECTED']))).toEqual(['FORBIDDEN']);
    }
    expect(codes(await report(sOfficer, { kind: 'COHORT', id: ids.P }, YEAR, ['READINESS']))).toEqual(['BAD_USER_INPUT']);
    const admin = ok(await report(actor(null, 'NETWORK_ADMIN'), cohort, YEAR, ['READINESS'])).qualityReport.rows as Row[];
    expect(admin.map((r) => r.key)).toEqual([cohortKey(2025)]);
  });

  it('drills the network down to programs and cohorts in a constant number of SQL statements', async () => {
    const measure = async () => {
      h.counter.reset();
      const rows = await rowsOf({ kind: 'NETWORK' }, YEAR, ['COMPETENCY_SCORE', 'BELOW_EXPECTED', 'READINESS']);
      return { rows, statements: h.counter.count };
    };
    const first = await measure();
    expect(first.rows.map((r) => r.key)).toContain(cohortKey(2025));
    // Another program with two cohorts: more rows, the same statements (one per level of the tree).
    await h.deliver([
      ...students(5).map((s) => assessment(s, 2025, ids.P2, ids.B, IN_B, 4, 3)),
      ...students(5).map((s) => assessment(s, 2026, ids.P2, ids.B, IN_B, 4, 3)),
    ]);
    const second = await measure();
    expect(second.rows.map((r) => r.key)).toEqual(expect.arrayContaining([`PROGRAM:${ids.P2}`, `COHORT:${ids.P2}/2026`]));
    expect(second.statements).toBe(first.statements);
    expect(first.statements).toBeLessThanOrEqual(8);
  });
});
