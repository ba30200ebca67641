import { type AuditRecorded, type PayloadOf } from '@medcollab/events';
import { INSTRUMENT_LIBRARY, libraryInstrumentId } from '../src/seed/instrument-library';
import { networkAdmin } from './support/actors';
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

/**
 * The audit trail's recording side in assessment (ADR 0008): reads of tasks, submissions (an
 * evaluation's answers included), competency progress and readiness, and the changes of tasks
 * and submissions, each one AuditRecorded event; refused reads and refused changes leave nothing.
 */
let h: AssessmentHarness;
let w: World;
let c: Record<string, string>;
let student: StudentRef;
let profileId: string;
let supervisorTask: string;
let siteTask: string;

type Batch = PayloadOf<typeof AuditRecorded>;
type Entry = Batch['entries'][number];

async function newEntries<T>(run: () => Promise<T>): Promise<{ result: T; entries: Entry[]; batches: Batch[] }> {
  const [{ p }] = await h.dataSource.query(`SELECT COALESCE(MAX(position), 0) AS p FROM outbox`);
  const result = await run();
  const rows = (await h.dataSource.query(
    `SELECT payload FROM outbox WHERE event_type = 'AuditRecorded' AND position > $1 ORDER BY position`,
    [p],
  )) as { payload: Batch }[];
  const batches = rows.map((r) => r.payload);
  return { result, batches, entries: batches.flatMap((b) => b.entries) };
}

const SUBMIT = `mutation($input: SubmitAssessmentInput!) { submitAssessment(input: $input) { id } }`;
const miniCex = INSTRUMENT_LIBRARY.find((i) => i.kind === 'MINI_CEX')!
  .items.filter((i) => i.scale.type !== 'NARRATIVE')
  .map((i) => ({ itemKey: i.key, rating: 6 }));
const reps = (typename: string, id: string) => ({ reps: [{ __typename: typename, id }] });

beforeAll(async () => {
  h = await startAssessment();
  w = await buildWorld(h);
  c = await publishLibrary(h);
  student = await registerStudent(h, w.schoolA);
  const p = placementAt(w, student);
  await runPlacement(h, p, 'COMPLETED');
  const rows: { id: string; role: string }[] = await h.dataSource.query(`SELECT id, role FROM assessment_task WHERE placement_id = $1`, [
    p.placementId,
  ]);
  supervisorTask = rows.find((r) => r.role === 'SUPERVISOR_ASSESSMENT')!.id;
  siteTask = rows.find((r) => r.role === 'SITE_EVALUATION')!.id;
  profileId = await publishPostProfile(h, [{ competencyId: c['canmeds-roles/PR1']!, level: 3 }]);
});
afterAll(() => h.stop());

describe('changes', () => {
  it("commits a submission's entry with the submission, naming the student assessed; a refused one leaves none", async () => {
    const refused = await newEntries(() => h.call(w.ciD2.actor, SUBMIT, { input: { taskId: supervisorTask, responses: miniCex } }));
    expect(codes(refused.result)).toEqual(['FORBIDDEN']);
    expect(refused.entries.filter((e) => e.action === 'CHANGE')).toEqual([]);

    const { result, entries } = await newEntries(async () =>
      ok(await h.call(w.ciD1.actor, SUBMIT, { input: { taskId: supervisorTask, responses: miniCex } })),
    );
    expect(entries.filter((e) => e.action === 'CHANGE')).toEqual([
      {
        action: 'CHANGE',
        recordType: 'Submission',
        recordId: result.submitAssessment.id,
        studentId: student.id,
        schoolId: w.schoolA,
        fields: ['comment', 'responses', 'status'],
        change: 'submitAssessment',
        reason: null,
      },
    ]);
  });

  it('records an amendment with its reason, and an assignment', async () => {
    const [{ id }] = await h.dataSource.query(`SELECT id FROM submission WHERE task_id = $1`, [supervisorTask]);
    const amended = await newEntries(async () =>
      ok(
        await h.call(w.ciD1.actor, `mutation($input: AmendSubmissionInput!) { amendSubmission(input: $input) { id } }`, {
          input: { submissionId: id, responses: [{ itemKey: 'history', rating: 8 }], reason: 'Wrong student on the round' },
        }),
      ),
    );
    expect(amended.entries).toContainEqual(
      expect.objectContaining({
        action: 'CHANGE',
        recordType: 'Submission',
        change: 'amendSubmission',
        reason: 'Wrong student on the round',
      }),
    );
    const assigned = await newEntries(async () =>
      ok(
        await h.call(w.coordinatorA.actor, `mutation($input: AssignAssessmentInput!) { assignAssessment(input: $input) { id } }`, {
          input: {
            instrumentId: libraryInstrumentId('case-analysis'),
            studentId: student.id,
            assessorId: w.teacherA.id,
            dueAt: new Date(Date.now() + 86_400_000).toISOString(),
          },
        }),
      ),
    );
    expect(assigned.entries.filter((e) => e.action === 'CHANGE')).toEqual([
      expect.objectContaining({
        recordType: 'AssessmentTask',
        recordId: assigned.result.assignAssessment.id,
        studentId: student.id,
        change: 'assignAssessment',
      }),
    ]);
  });
});

describe('reads', () => {
  it("records who read a student's submission, with the fields shown, and nothing for a refused read", async () => {
    const [{ id }] = await h.dataSource.query(`SELECT id FROM submission WHERE task_id = $1`, [supervisorTask]);
    const QUERY = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Submission { id responses { rating } } } }`;
    const { batches } = await newEntries(async () => ok(await h.call(w.coordinatorA.actor, QUERY, reps('Submission', id))));
    expect(batches).toHaveLength(1);
    expect(batches[0]!.actor).toEqual(w.coordinatorA.actor);
    expect(batches[0]!.entries).toEqual([
      {
        action: 'READ',
        recordType: 'Submission',
        recordId: id,
        studentId: student.id,
        schoolId: w.schoolA,
        fields: ['id', 'responses'],
        change: null,
        reason: null,
      },
    ]);
    const refused = await newEntries(() => h.call(w.ciD2.actor, QUERY, reps('Submission', id)));
    expect(codes(refused.result)).toEqual(['FORBIDDEN']);
    expect(refused.entries).toEqual([]);
  });

  it("records the competency progress and readiness read, as the student's", async () => {
    const QUERY = `query($reps: [_Any!]!, $profile: ID!) { _entities(representations: $reps) { ... on Student {
      competencyProgress { id evidenceCount } readiness(postProfileId: $profile) { score } } } }`;
    const { result, entries } = await newEntries(async () =>
      ok(await h.call(w.teacherA.actor, QUERY, { ...reps('Student', student.id), profile: profileId })),
    );
    const progress = result._entities[0].competencyProgress as { id: string }[];
    expect(progress.length).toBeGreaterThan(0);
    const progressEntries = entries.filter((e) => e.recordType === 'CompetencyProgress');
    expect(progressEntries.map((e) => e.recordId).sort()).toEqual(progress.map((p) => p.id).sort());
    for (const e of progressEntries)
      expect(e).toMatchObject({ studentId: student.id, schoolId: w.schoolA, fields: ['evidenceCount', 'id'] });
    expect(entries.filter((e) => e.recordType === 'Readiness')).toEqual([
      expect.objectContaining({ recordId: `${student.id}/${profileId}`, studentId: student.id, schoolId: w.schoolA, fields: ['score'] }),
    ]);
    const refused = await newEntries(() => h.call(w.coordinatorH.actor, QUERY, { ...reps('Student', student.id), profile: profileId }));
    expect(codes(refused.result).length).toBeGreaterThan(0);
    expect(refused.entries).toEqual([]);
  });

  it("records an evaluation's answers as read by their author, and nobody else reads them", async () => {
    const answers = ['orientation', 'supervision', 'opportunities', 'climate', 'overall'].map((itemKey) => ({ itemKey, rating: 4 }));
    const evaluation = ok(await h.call(student.actor, SUBMIT, { input: { taskId: siteTask, responses: answers } })).submitAssessment.id;
    const QUERY = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Submission { responses { rating } } } }`;
    const own = await newEntries(async () => ok(await h.call(student.actor, QUERY, reps('Submission', evaluation))));
    expect(own.entries).toEqual([
      expect.objectContaining({ recordType: 'Submission', recordId: evaluation, studentId: student.id, fields: ['responses'] }),
    ]);
    const admin = await newEntries(() => h.call(networkAdmin(), QUERY, reps('Submission', evaluation)));
    expect(codes(admin.result)).toEqual(['FORBIDDEN']);
    expect(admin.entries).toEqual([]);
  });
});
