import { randomUUID } from 'node:crypto';
import { AssessmentSubmitted, type EventEnvelope } from '@medcollab/events';
import { agreementBetween, envelope } from './support/events';
import { actor, codes, ok, type QualityHarness, startQuality } from './support/harness';

/**
 * Learner outcomes from students' assessments (AssessmentSubmitted), per program and for the
 * network, protected with k distinct students: school S has programs P (6 students), P2 (5)
 * and P3 (2); school S9 has program Q (5).
 */
const YEAR = { kind: 'YEAR', id: '2026-2027' };
const ids = { S: randomUUID(), S9: randomUUID(), P: randomUUID(), P2: randomUUID(), P3: randomUUID(), Q: randomUUID(), H: randomUUID() };

function assessments(students: number, schoolId: string, programId: string, score: number, entrustment: number): EventEnvelope[] {
  return Array.from({ length: students }, () => {
    const submissionId = randomUUID();
    return envelope(AssessmentSubmitted, submissionId, {
      taskId: randomUUID(),
      submissionId,
      version: 1,
      studentId: randomUUID(),
      schoolId,
      assessorId: randomUUID(),
      instrumentId: randomUUID(),
      instrumentKind: 'MINI_CEX',
      purpose: 'SUMMATIVE',
      placementId: null,
      programId,
      submittedAt: '2026-11-10T10:00:00.000Z',
      competencyResults: [
        { competencyId: randomUUID(), itemKey: 'history', scaleType: 'LIKERT', entrustmentMode: null, value: score, min: 1, max: 5 },
        {
          competencyId: randomUUID(),
          itemKey: 'epa1',
          scaleType: 'ENTRUSTMENT',
          entrustmentMode: 'RETROSPECTIVE',
          value: entrustment,
          min: 1,
          max: 5,
        },
      ],
    });
  });
}

let h: QualityHarness;
beforeAll(async () => {
  h = await startQuality();
  // Agreements make S and S9 known as schools (and H as a hospital).
  const agreement = (schoolId: string): EventEnvelope => {
    const agreementId = randomUUID();
    return agreementBetween(schoolId, ids.H, [], agreementId);
  };
  await h.deliver([
    agreement(ids.S),
    agreement(ids.S9),
    ...assessments(6, ids.S, ids.P, 4, 3),
    ...assessments(5, ids.S, ids.P2, 2, 2),
    ...assessments(2, ids.S, ids.P3, 5, 5),
    ...assessments(5, ids.S9, ids.Q, 3, 4),
  ]);
});
afterAll(() => h.stop());

const FIG = 'metric item released suppression count mean evaluatorCount distribution { value count }';
const PROGRAM = `query($reps: [_Any!]!, $period: QualityPeriodInput!) {
  _entities(representations: $reps) { ... on Program { quality(period: $period) { key scope { kind id program { id } } figures { ${FIG} } } } } }`;
const REPORT = `query($period: QualityPeriodInput!) { qualityReport(scope: { kind: NETWORK }, period: $period, metrics: [COMPETENCY_SCORE, ENTRUSTMENT_LEVEL]) {
  rows { key figures { ${FIG} } } } }`;
type Fig = {
  metric: string;
  released: boolean;
  suppression: string | null;
  count: number | null;
  mean: number | null;
  evaluatorCount: number | null;
};
const program = (who: ReturnType<typeof actor>, id: string) =>
  h.call(who, PROGRAM, { reps: [{ __typename: 'Program', id }], period: YEAR });
const sOfficer = actor(ids.S, 'QUALITY_OFFICER');

describe('learner outcomes and Program.quality', () => {
  it("shows a school's program its students' competency scores and entrustment levels", async () => {
    const row = ok(await program(sOfficer, ids.P))._entities[0].quality;
    expect(row.scope).toEqual({ kind: 'PROGRAM', id: ids.P, program: { id: ids.P } });
    // The whole (item null) of each metric; each competency is a figure of its own.
    const whole = (row.figures as (Fig & { item: string | null })[]).filter((f) => f.item === null);
    const [score, entrustment] = whole;
    // (4 - 1) / (5 - 1) = 0.75 of the scale, six students.
    expect(score).toMatchObject({ metric: 'COMPETENCY_SCORE', released: true, count: 6, mean: 0.75, evaluatorCount: 6 });
    expect(entrustment).toMatchObject({ metric: 'ENTRUSTMENT_LEVEL', released: true, count: 6, mean: 3, evaluatorCount: 6 });
  });

  it('hides a program with fewer than k students, and the one that would give it away from the school total', async () => {
    const rows = ok(await h.call(sOfficer, REPORT, { period: YEAR })).qualityReport.rows as {
      key: string;
      figures: (Fig & { item: string | null })[];
    }[];
    const at = (key: string) => rows.find((r) => r.key === key)!.figures.find((f) => f.metric === 'COMPETENCY_SCORE' && !f.item)!;
    expect(at(`PROGRAM:${ids.P3}`)).toMatchObject({ released: false, suppression: 'TOO_FEW_EVALUATORS' });
    expect(at(`PROGRAM:${ids.P2}`)).toMatchObject({ released: false, suppression: 'COMPLEMENTARY' });
    expect(at(`PROGRAM:${ids.P}`)).toMatchObject({ released: true, count: 6 });
    // The school's own students only: 13, not S9's.
    expect(at('NETWORK:network')).toMatchObject({ released: true, count: 13 });
    expect(rows.find((r) => r.key === `PROGRAM:${ids.Q}`)).toBeUndefined();
  });

  it("refuses another school's program, a hospital's office and a wrong role; network admins see every school's students", async () => {
    expect(codes(await program(actor(ids.S9, 'QUALITY_OFFICER'), ids.P))).toEqual(['FORBIDDEN']);
    expect(codes(await program(actor(ids.H, 'QUALITY_OFFICER'), ids.P))).toEqual(['FORBIDDEN']);
    expect(codes(await program(actor(ids.S, 'TEACHER'), ids.P))).toEqual(['FORBIDDEN']);
    const p = ok(await program(actor(null, 'NETWORK_ADMIN'), ids.P))._entities[0].quality;
    expect(p.figures[0]).toMatchObject({ released: true, count: 6, mean: 0.75 });
  });
});
