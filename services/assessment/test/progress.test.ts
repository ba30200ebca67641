import { randomUUID } from 'node:crypto';
import { libraryInstrumentId } from '../src/seed/instrument-library';
import { networkAdmin, staffOf } from './support/actors';
import {
  buildWorld,
  placementAt,
  publishLibrary,
  publishPostProfile,
  registerStudent,
  runPlacement,
  type StudentRef,
  type World,
} from './support/fixtures';
import { type AssessmentHarness, codes, ok, startAssessment } from './support/harness';

let h: AssessmentHarness;
let w: World;
let c: Record<string, string>;
let student: StudentRef;
let profileId: string;

const ASSIGN = `mutation($input: AssignAssessmentInput!) { assignAssessment(input: $input) { id } }`;
const SUBMIT = `mutation($input: SubmitAssessmentInput!) { submitAssessment(input: $input) { id } }`;
const PROGRESS = `query($reps: [_Any!]!, $domain: CompetencyDomain) { _entities(representations: $reps) { ... on Student {
  competencyProgress(domain: $domain) { id domain competency { id } evidenceCount lastAssessedAt trend
    headline { type entrustmentMode level normalized rule } levels { type entrustmentMode min max level rule observationCount } } } } }`;
const READINESS = `query($reps: [_Any!]!, $profile: ID!) { _entities(representations: $reps) { ... on Student {
  readiness(postProfileId: $profile) { score requirementCount metCount student { id } postProfile { id } gaps { competency { id } domain requiredLevel currentLevel evidenceCount } } } } }`;
const reps = () => ({ reps: [{ __typename: 'Student', id: student.id }] });

/** Assigns `instrument` to the teacher for the student and submits `responses` as the teacher. */
async function assessed(instrument: string, responses: object[]): Promise<void> {
  const dueAt = new Date(Date.now() + 86_400_000).toISOString();
  const { assignAssessment } = ok(
    await h.call(w.coordinatorA.actor, ASSIGN, {
      input: { instrumentId: libraryInstrumentId(instrument), studentId: student.id, assessorId: w.teacherA.id, dueAt },
    }),
  );
  ok(await h.call(w.teacherA.actor, SUBMIT, { input: { taskId: assignAssessment.id, responses } }));
}
const notss = (rating: number) =>
  ['SA.1', 'SA.2', 'SA.3', 'DM.1', 'DM.2', 'DM.3', 'CT.1', 'CT.2', 'CT.3', 'L.1', 'L.2', 'L.3'].map((itemKey) =>
    itemKey.startsWith('SA') ? { itemKey, rating } : { itemKey, notApplicable: true },
  );
const epa = (levels: Record<number, number>) =>
  Array.from({ length: 13 }, (_, i) =>
    levels[i + 1] ? { itemKey: `epa-${i + 1}`, rating: levels[i + 1] } : { itemKey: `epa-${i + 1}`, notApplicable: true },
  );

beforeAll(async () => {
  h = await startAssessment();
  w = await buildWorld(h);
  c = await publishLibrary(h);
  student = await registerStudent(h, w.schoolA);
  await runPlacement(h, placementAt(w, student), 'IN_PROGRESS');
  profileId = await publishPostProfile(h, [
    { competencyId: c['aamc-core-epas/EPA 1']!, level: 4 },
    { competencyId: c['notss/SA']!, level: 3 },
    { competencyId: c['aamc-core-epas/EPA 12']!, level: 3 },
  ]);
  // Two NOTSS ratings of situation awareness (2, then 3), one EPA decision, and a mini-CEX.
  await assessed('notss', notss(2));
  await assessed('notss', notss(3));
  await assessed('epa-entrustment', epa({ 1: 3 }));
  await assessed(
    'mini-cex',
    ['history', 'examination', 'professionalism', 'judgement', 'communication', 'organisation', 'overall'].map((itemKey) => ({
      itemKey,
      rating: 7,
    })),
  );
});
afterAll(() => h.stop());

describe('Student.competencyProgress', () => {
  it('builds a level per scale from the evidence, non-technical competencies included', async () => {
    const progress = ok(await h.call(student.actor, PROGRESS, reps()))._entities[0].competencyProgress;
    const of = (ref: string) => progress.find((p: { competency: { id: string } }) => p.competency.id === c[ref]);

    const sa1 = of('notss/SA.1');
    expect(sa1).toMatchObject({ id: `${student.id}/${c['notss/SA.1']}`, domain: 'NON_TECHNICAL', evidenceCount: 2, trend: 'IMPROVING' });
    expect(sa1.levels).toEqual([{ type: 'NOTSS', entrustmentMode: null, min: 1, max: 4, level: 2.5, rule: 'MEAN', observationCount: 2 }]);
    // N/A elements give no evidence.
    expect(of('notss/L.1')).toBeUndefined();

    const epa1 = of('aamc-core-epas/EPA 1');
    expect(epa1.domain).toBe('TECHNICAL');
    expect(epa1.levels.map((l: { type: string; level: number; rule: string }) => `${l.type}:${l.level}:${l.rule}`)).toEqual([
      'ENTRUSTMENT:3:LATEST_HIGHEST',
      'LIKERT:7:MEAN',
    ]);
    expect(epa1.headline).toMatchObject({ type: 'ENTRUSTMENT', entrustmentMode: 'PROSPECTIVE', level: 3, normalized: 0.5 });
    expect(epa1.evidenceCount).toBe(2);

    const nonTechnical = ok(await h.call(student.actor, PROGRESS, { ...reps(), domain: 'NON_TECHNICAL' }))._entities[0].competencyProgress;
    expect(nonTechnical.length).toBeGreaterThan(0);
    expect(nonTechnical.every((p: { domain: string }) => p.domain === 'NON_TECHNICAL')).toBe(true);
    expect(nonTechnical.map((p: { competency: { id: string } }) => p.competency.id)).toEqual(
      expect.arrayContaining([c['notss/SA.1'], c['canmeds-roles/PR1'], c['canmeds-roles/CM2']]),
    );
  });

  it('dates the last assessment to the millisecond, microseconds cut off as the timestamp parser did', async () => {
    const other = await registerStudent(h, w.schoolA);
    await runPlacement(h, placementAt(w, other), 'IN_PROGRESS');
    const dueAt = new Date(Date.now() + 86_400_000).toISOString();
    const { assignAssessment } = ok(
      await h.call(w.coordinatorA.actor, ASSIGN, {
        input: { instrumentId: libraryInstrumentId('notss'), studentId: other.id, assessorId: w.teacherA.id, dueAt },
      }),
    );
    ok(await h.call(w.teacherA.actor, SUBMIT, { input: { taskId: assignAssessment.id, responses: notss(3) } }));
    // Evidence written by SQL may carry microseconds; the API shows whole milliseconds, rounded down.
    await h.dataSource.query(`UPDATE competency_observation SET observed_at = '2026-01-02 03:04:05.123999+00' WHERE student_id = $1`, [
      other.id,
    ]);
    const progress = ok(await h.call(other.actor, PROGRESS, { reps: [{ __typename: 'Student', id: other.id }] }))._entities[0]
      .competencyProgress;
    expect(progress.length).toBeGreaterThan(0);
    expect(new Set(progress.map((p: { lastAssessedAt: string }) => p.lastAssessedAt))).toEqual(new Set(['2026-01-02T03:04:05.123Z']));
  });

  it('is the student’s and their school’s: the hospital placing them and other schools are refused', async () => {
    for (const actor of [w.coordinatorA.actor, w.qualityA.actor, networkAdmin()])
      expect(ok(await h.call(actor, PROGRESS, reps()))._entities[0].competencyProgress.length).toBeGreaterThan(0);
    for (const actor of [w.ciD1.actor, w.coordinatorH.actor, w.coordinatorB, staffOf(w.schoolA, 'STUDENT')]) {
      const refused = await h.call(actor, PROGRESS, reps());
      expect(codes(refused)).toEqual(['FORBIDDEN']);
      expect(refused.data?._entities[0].competencyProgress).toBeNull();
    }
  });
});

describe('Student.readiness', () => {
  it('scores the student against the profile and names the gaps', async () => {
    const { readiness } = ok(await h.call(student.actor, READINESS, { ...reps(), profile: profileId }))._entities[0];
    expect(readiness).toMatchObject({ requirementCount: 3, student: { id: student.id }, postProfile: { id: profileId } });
    // SA: NOTSS mean 2.5 of 1–4 → 3 on the profile's 1–5: met. EPA 1: entrusted at 3 < 4. EPA 12: no evidence.
    expect(readiness.metCount).toBe(1);
    expect(readiness.gaps).toEqual([
      { competency: { id: c['aamc-core-epas/EPA 1'] }, domain: 'TECHNICAL', requiredLevel: 4, currentLevel: 3, evidenceCount: 2 },
      { competency: { id: c['aamc-core-epas/EPA 12'] }, domain: 'TECHNICAL', requiredLevel: 3, currentLevel: null, evidenceCount: 0 },
    ]);
    // (1 + 2/3 + 0) / 3
    expect(readiness.score).toBe(0.556);
  });

  it('answers NOT_FOUND for a profile assessment has not heard of, and FORBIDDEN like the progress', async () => {
    const unknown = await h.call(student.actor, READINESS, { ...reps(), profile: randomUUID() });
    expect(codes(unknown)).toEqual(['NOT_FOUND']);
    expect(codes(await h.call(w.ciD1.actor, READINESS, { ...reps(), profile: profileId }))).toEqual(['FORBIDDEN']);
  });
});
