import { libraryInstrumentId } from '@medcollab/assessment';
import { type DemoNetworkSummary } from '@medcollab/demo-world';
import { type Role } from '@medcollab/kit';
import { seedDemoMentorship } from '@medcollab/mentorship';
import { e2eClient, type Pipeline, tokenFor, waitFor } from '@medcollab/testing';
import { verifyChains } from '../../src/data/verify';
import { startAuditSystem } from '../support/pipeline';

/**
 * The audit trail end to end: a hospital instructor reads a placed student's placements through
 * the real gateway; rotations and network record the reads, their workers relay AuditRecorded,
 * the audit worker chains the entries, and the student sees who looked at their record: their
 * mentor reading their meeting notes (mentorship), an assessor reading the submission about them
 * (assessment). Another school's admin is refused the school's trail.
 */
let p: Pipeline;
let demo: DemoNetworkSummary;
const tokens: Record<string, string> = {};
const { gql, data } = e2eClient(() => p.supergraph, tokens);

let schoolId: string;
let studentId: string;
let placementId: string;
let mentor: { id: string; institutionId: string; roles: string[] };

beforeAll(async () => {
  ({ p, demo, schoolId } = await startAuditSystem(tokens, { assessment: true }));
  const rotations = p.subgraphs.rotations!.dataSource;
  await waitFor(
    'rotations to learn the demo network',
    async () => ((await rotations.query(`SELECT count(*)::int AS n FROM known_student`)) as { n: number }[])[0]!.n === demo.counts.students,
    120_000,
  );
  studentId = demo.student.id;

  // A confirmed placement in the instructor's department, supervised by them.
  const block = await data('coordinator', `mutation($input: CreateRotationBlockInput!) { createRotationBlock(input: $input) { id } }`, {
    input: { schoolId, academicYear: '2027-2028', name: 'Block A', startsOn: '2027-09-06', endsOn: '2027-10-29' },
  });
  const blockId = block.createRotationBlock.id;
  await data('hospital', `mutation($input: SetSiteCapacityInput!) { setSiteCapacity(input: $input) { seats } }`, {
    input: { departmentId: demo.clinicalInstructor.departmentId, blockId, schoolId, seats: 2 },
  });
  const placement = await data('coordinator', `mutation($input: CreatePlacementInput!) { createPlacement(input: $input) { id } }`, {
    input: { studentId, departmentId: demo.clinicalInstructor.departmentId, blockId, supervisorId: demo.clinicalInstructor.id },
  });
  placementId = placement.createPlacement.id;
  await data('coordinator', `mutation($id: ID!) { confirmPlacement(input: { id: $id }) { status } }`, { id: placementId });

  // Mentor profiles (and mentorship's view of the demo people); a mentor of the student's school.
  const mentoring = await seedDemoMentorship(p.subgraphs.mentorship!.dataSource, demo);
  mentor = mentoring.mentors.find((m) => m.institutionId === schoolId && m.roles.includes('MENTOR'))!;
  tokens.mentor = await tokenFor({ personId: mentor.id, institutionId: schoolId, roles: mentor.roles as Role[] });
}, 480_000);
afterAll(() => p?.stop());

const instructorRead = {
  action: 'READ',
  actorRoles: ['CLINICAL_INSTRUCTOR'],
  operation: 'InstructorReadsPlacements',
  reason: null,
  change: null,
};
const READ = `query InstructorReadsPlacements($id: ID!) { student(id: $id) { familyName placements { status department { name } } } }`;
const HISTORY = `query MyAccessHistory($id: ID!) {
  student(id: $id) { accessHistory(first: 100) { edges { node { action actorId actorRoles recordType fields operation service reason change } } } }
}`;

describe('who read my record, through the gateway', () => {
  it("shows the student the instructor's read of their placements, with the operation and fields", async () => {
    await waitFor('the hospital grant', async () => !(await gql('instructor', READ, { id: studentId })).errors, 120_000);
    const { student } = await data('instructor', READ, { id: studentId });
    expect(student.placements).toEqual([{ status: 'CONFIRMED', department: { name: 'Internal Medicine' } }]);

    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    let entries: any[] = [];
    await waitFor(
      "the instructor's reads in the student's access history",
      async () => {
        entries = (await data('student', HISTORY, { id: studentId })).student.accessHistory.edges.map((e: { node: unknown }) => e.node);
        return entries.some((e) => e.actorId === demo.clinicalInstructor.id && e.recordType === 'Placement');
      },
      120_000,
    );
    const byInstructor = entries.filter((e) => e.actorId === demo.clinicalInstructor.id);
    expect(byInstructor).toEqual(
      expect.arrayContaining([
        {
          ...instructorRead,
          actorId: demo.clinicalInstructor.id,
          recordType: 'Placement',
          fields: ['department', 'status'],
          service: 'rotations',
        },
        { ...instructorRead, actorId: demo.clinicalInstructor.id, recordType: 'Student', fields: ['familyName', 'id'], service: 'network' },
      ]),
    );
    // Only reads by the instructor, and only of this student's records (the history is the student's own).
    expect(byInstructor.every((e) => e.action === 'READ')).toBe(true);
    // The school's confirmation is there as a change, with its operation.
    expect(entries).toContainEqual(expect.objectContaining({ action: 'CHANGE', recordType: 'Placement', change: 'confirmPlacement' }));
  });

  it("lets the school's admin list the entries and refuses another school's admin and the instructor", async () => {
    const LIST = `query($filter: AuditEntryFilter!) { auditEntries(filter: $filter) { edges { node { actorId recordType student { id } } } } }`;
    const filter = { institutionId: schoolId, studentId };
    const own = await data('schoolAdmin', LIST, { filter });
    expect(own.auditEntries.edges.some((e: { node: { actorId: string } }) => e.node.actorId === demo.clinicalInstructor.id)).toBe(true);
    for (const who of ['otherAdmin', 'instructor', 'student']) {
      const refused = await gql(who, LIST, { filter });
      expect(refused.errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual(['FORBIDDEN']);
      expect(refused.data).toBeNull();
    }
    const otherHistory = await gql('otherAdmin', HISTORY, { id: studentId });
    expect(otherHistory.errors[0].extensions.code).toBe('FORBIDDEN');
    // Entries from two services and many requests: the school's chain verifies end to end.
    const [report] = await verifyChains(p.subgraphs.audit!.dataSource, schoolId);
    expect(report).toMatchObject({ institutionId: schoolId, broken: null });
    expect(report!.checked).toBeGreaterThan(3);
  });
});

describe('who read my mentoring notes and my assessment', () => {
  const NOTES = `query MentorReadsNotes($id: ID!) { mentorship(id: $id) { meetings(first: 5) { edges { node { date notes } } } } }`;
  const SUBMISSION = `query AssessorReadsSubmission($id: ID!) { assessmentTask(id: $id) { submission { responses { itemKey rating } } } }`;

  it('shows the student that their mentor read their meeting notes and the assessor their submission', async () => {
    const created = await data('coordinator', `mutation($input: CreateMentorshipInput!) { createMentorship(input: $input) { id } }`, {
      input: { mentorId: mentor.id, menteeIds: [studentId], format: 'ONE_ON_ONE', focus: 'CAREER' },
    });
    const mentorshipId = created.createMentorship.id;
    await data('mentor', `mutation($input: LogMeetingInput!) { logMeeting(input: $input) { id } }`, {
      input: {
        mentorshipId,
        date: new Date().toISOString().slice(0, 10),
        attendeeIds: [mentor.id, studentId],
        notes: 'Wants to apply for cardiology',
      },
    });
    const read = await data('mentor', NOTES, { id: mentorshipId });
    expect(read.mentorship.meetings.edges[0].node.notes).toBe('Wants to apply for cardiology');

    // The instructor assesses the student on the placement (once assessment knows of it), then reads the answers back.
    const assign = `mutation($input: AssignAssessmentInput!) { assignAssessment(input: $input) { id } }`;
    const input = {
      instrumentId: libraryInstrumentId('mini-cex'),
      studentId,
      assessorId: demo.clinicalInstructor.id,
      placementId,
      dueAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
    };
    await waitFor('assessment to learn the placement', async () => !(await gql('coordinator', assign, { input })).errors, 120_000);
    const [task] = (await p.subgraphs.assessment!.dataSource.query(
      `SELECT id FROM assessment_task WHERE student_id = $1 ORDER BY assigned_at LIMIT 1`,
      [studentId],
    )) as { id: string }[];
    const taskId = task!.id;
    const responses = ['history', 'examination', 'professionalism', 'judgement', 'communication', 'organisation', 'overall'].map(
      (itemKey) => ({ itemKey, rating: 7 }),
    );
    await data('instructor', `mutation($input: SubmitAssessmentInput!) { submitAssessment(input: $input) { id } }`, {
      input: { taskId, responses },
    });
    const answers = await data('instructor', SUBMISSION, { id: taskId });
    expect(answers.assessmentTask.submission.responses).toHaveLength(7);

    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    let entries: any[] = [];
    await waitFor(
      "the mentor's and the assessor's reads in the student's access history",
      async () => {
        entries = (await data('student', HISTORY, { id: studentId })).student.accessHistory.edges.map((e: { node: unknown }) => e.node);
        return (
          entries.some((e) => e.operation === 'MentorReadsNotes' && e.recordType === 'MentorMeeting') &&
          entries.some((e) => e.operation === 'AssessorReadsSubmission' && e.recordType === 'Submission')
        );
      },
      120_000,
    );
    expect(entries).toContainEqual(
      expect.objectContaining({
        action: 'READ',
        actorId: mentor.id,
        recordType: 'MentorMeeting',
        fields: ['date', 'notes'],
        operation: 'MentorReadsNotes',
        service: 'mentorship',
      }),
    );
    expect(entries).toContainEqual(
      expect.objectContaining({
        action: 'READ',
        actorId: demo.clinicalInstructor.id,
        actorRoles: ['CLINICAL_INSTRUCTOR'],
        recordType: 'Submission',
        fields: ['responses'],
        operation: 'AssessorReadsSubmission',
        service: 'assessment',
      }),
    );
    expect(entries).toContainEqual(expect.objectContaining({ action: 'CHANGE', recordType: 'Submission', change: 'submitAssessment' }));
  }, 360_000);
});
