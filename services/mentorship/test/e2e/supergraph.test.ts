import { type DemoNetworkSummary } from '@medcollab/demo-world';
import { randomUUID } from 'node:crypto';
import { tokenFor } from '@medcollab/testing';
import { seedDemoNetwork } from '@medcollab/network';
import { type DemoMentorshipSummary, seedDemoMentorship } from '../../src/seed/demo-mentorship';
import { type Pipeline, startPipeline, waitFor } from '../support/pipeline';

/**
 * Mentorship as a client sees it: the real gateway in front of the network and mentorship
 * subgraphs, events flowing from the network's outbox through real workers.
 */
let p: Pipeline;
let demo: DemoNetworkSummary;
let seeded: DemoMentorshipSummary;
const tokens: Record<string, string> = {};

const knownStudents = async () => (await p.mentorship.dataSource.query('SELECT count(*)::int AS n FROM known_student'))[0].n as number;

beforeAll(async () => {
  p = await startPipeline();
  demo = await seedDemoNetwork(p.network.dataSource);
  seeded = await seedDemoMentorship(p.mentorship.dataSource, demo);
  tokens.coordinator = await tokenFor({
    personId: demo.coordinator.id,
    institutionId: demo.coordinator.institutionId,
    roles: ['COORDINATOR'],
  });
  tokens.admin = await tokenFor({
    personId: demo.networkAdmin.id,
    institutionId: demo.networkAdmin.institutionId,
    roles: ['NETWORK_ADMIN'],
  });
  tokens.schoolAdmin = await tokenFor({
    personId: demo.institutionAdmin.id,
    institutionId: demo.institutionAdmin.institutionId,
    roles: ['INSTITUTION_ADMIN'],
  });
}, 240_000);
afterAll(() => p?.stop());

const as = (token: string) => (query: string, variables?: Record<string, unknown>) => p.supergraph.request(query, { token, variables });

describe('mentorship through the gateway', () => {
  let runMentorships: { id: string; mentor: { id: string }; mentees: { id: string }[] }[];

  it('receives the demo network through the events pipeline, matching what the seed wrote', async () => {
    expect(seeded.profilesCreated).toBe(seeded.mentors.length);
    expect(seeded.mentors.length).toBeGreaterThanOrEqual(6);
    expect(seeded.cohort.studentIds).toHaveLength(6);
    // Every event of the demo network arrives; the rows the seed wrote first do not change or double.
    await waitFor('the demo events', async () => {
      const [row] = await p.mentorship.dataSource.query(`SELECT count(*)::int AS n FROM inbox WHERE event_type = 'StudentRegistered'`);
      return row.n === demo.counts.students;
    });
    expect(await knownStudents()).toBe(demo.counts.students);
    // Seeding again changes nothing.
    expect((await seedDemoMentorship(p.mentorship.dataSource, demo)).profilesCreated).toBe(0);
  });

  it('lets a coordinator run matching for a seeded cohort and accept it, within every capacity', async () => {
    const coordinator = as(tokens.coordinator!);
    const start = await coordinator(
      `mutation($input: StartMatchingRunInput!) { startMatchingRun(input: $input) {
         id status totalScore unmatchedStudents { id } proposals { student { id familyName } mentor { id } score reasons { code } } } }`,
      { input: { schoolId: seeded.cohort.schoolId, cohortYear: seeded.cohort.cohortYear } },
    );
    expect(start.body.errors).toBeUndefined();
    const run = start.body.data.startMatchingRun;
    expect(run.status).toBe('PROPOSED');
    expect(run.proposals).toHaveLength(seeded.cohort.studentIds.length);
    expect(run.unmatchedStudents).toEqual([]);
    // The seeded seats (school mentors 3 + 2, partner hospitals 3 each) spread the cohort over several mentors.
    expect(new Set(run.proposals.map((x: { mentor: { id: string } }) => x.mentor.id)).size).toBeGreaterThan(1);
    // Student names come from the network subgraph, in the same response.
    expect(run.proposals.every((x: { student: { familyName: string } }) => x.student.familyName.length > 0)).toBe(true);

    const accept = await coordinator(
      `mutation($input: AcceptMatchingRunInput!) { acceptMatchingRun(input: $input) { status mentorships { id status format mentor { id } mentees { id } } } }`,
      { input: { runId: run.id } },
    );
    expect(accept.body.errors).toBeUndefined();
    expect(accept.body.data.acceptMatchingRun.status).toBe('ACCEPTED');
    runMentorships = accept.body.data.acceptMatchingRun.mentorships;
    expect(runMentorships.flatMap((m) => m.mentees.map((x) => x.id)).sort()).toEqual([...seeded.cohort.studentIds].sort());

    const capacities = await p.mentorship.dataSource.query(
      `SELECT p.capacity, count(DISTINCT mm.student_id)::int AS n FROM mentor_profile p
         LEFT JOIN mentorship m ON m.mentor_id = p.staff_id AND m.status IN ('ACTIVE', 'PAUSED')
         LEFT JOIN mentorship_mentee mm ON mm.mentorship_id = m.id GROUP BY p.staff_id, p.capacity`,
    );
    for (const c of capacities) expect(c.n).toBeLessThanOrEqual(c.capacity);

    // A teacher of the school may not decide runs; a coordinator of another school may not even start one.
    const other = demo.schools.find((s) => s.id !== demo.coordinator.institutionId)!;
    const outsider = as(await tokenFor({ institutionId: other.id, roles: ['COORDINATOR'] }));
    const refused = await outsider(`mutation($input: StartMatchingRunInput!) { startMatchingRun(input: $input) { id } }`, {
      input: { schoolId: seeded.cohort.schoolId, cohortYear: seeded.cohort.cohortYear },
    });
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('lets the mentor log meetings whose notes only the mentor and the mentee can read', async () => {
    const schoolMentorship = runMentorships.find(
      (m) => seeded.mentors.find((x) => x.id === m.mentor.id)?.institutionId === seeded.cohort.schoolId,
    )!;
    const mentorId = schoolMentorship.mentor.id;
    const menteeId = schoolMentorship.mentees[0]!.id;
    const mentor = as(await tokenFor({ personId: mentorId, institutionId: seeded.cohort.schoolId, roles: ['TEACHER', 'MENTOR'] }));
    const mentee = as(await tokenFor({ personId: menteeId, institutionId: seeded.cohort.schoolId, roles: ['STUDENT'] }));
    const today = new Date().toISOString().slice(0, 10);
    const logged = await mentor(`mutation($input: LogMeetingInput!) { logMeeting(input: $input) { id notes } }`, {
      input: { mentorshipId: schoolMentorship.id, date: today, attendeeIds: [mentorId, menteeId], notes: 'Career options in cardiology' },
    });
    expect(logged.body.errors).toBeUndefined();

    const READ = `query($id: ID!) { mentorship(id: $id) { meetingCount lastMeetingOn mentor { familyName } mentees { id }
      meetings { edges { node { date notes } } } } }`;
    for (const member of [mentor, mentee]) {
      const { body } = await member(READ, { id: schoolMentorship.id });
      expect(body.errors).toBeUndefined();
      expect(body.data.mentorship.meetings.edges[0].node.notes).toBe('Career options in cardiology');
    }
    const { body } = await as(tokens.coordinator!)(READ, { id: schoolMentorship.id });
    expect(body.errors).toBeUndefined();
    expect(body.data.mentorship).toMatchObject({
      meetingCount: 1,
      lastMeetingOn: today,
      meetings: { edges: [{ node: { date: today, notes: null } }] },
    });
    expect(body.data.mentorship.mentor.familyName.length).toBeGreaterThan(0);
    const admin = await as(tokens.admin!)(READ, { id: schoolMentorship.id });
    expect(JSON.stringify(admin.body)).not.toContain('cardiology');

    // Bad input gets a clear error through the gateway.
    const future = await mentor(`mutation($input: LogMeetingInput!) { logMeeting(input: $input) { id } }`, {
      input: { mentorshipId: schoolMentorship.id, date: '2099-01-01', attendeeIds: [mentorId] },
    });
    expect(future.body.errors?.[0]).toMatchObject({
      message: 'A meeting cannot be logged before it takes place',
      extensions: { code: 'BAD_USER_INPUT', field: 'date' },
    });

    // The student's goal links to assessment evidence; the student reads it next to their network record.
    const taskId = randomUUID();
    const goal = await mentee(
      `mutation($input: SetDevelopmentGoalInput!) { setDevelopmentGoal(input: $input) { id evidence { kind id } } }`,
      {
        input: { studentId: menteeId, title: 'Interpret ECGs independently', evidence: [{ kind: 'ASSESSMENT_TASK', id: taskId }] },
      },
    );
    expect(goal.body.errors).toBeUndefined();
    const mine = await mentee(
      `query($id: ID!) { student(id: $id) { givenName developmentGoals { title evidence { kind id } } mentorships { mentor { id } } } }`,
      { id: menteeId },
    );
    expect(mine.body.errors).toBeUndefined();
    expect(mine.body.data.student.developmentGoals).toEqual([
      { title: 'Interpret ECGs independently', evidence: [{ kind: 'ASSESSMENT_TASK', id: taskId }] },
    ]);
    expect(mine.body.data.student.mentorships).toEqual([{ mentor: { id: mentorId } }]);
  });

  it('makes a student registered in the network visible to mentorship through the events', async () => {
    const admin = as(tokens.schoolAdmin!);
    const registered = await admin(`mutation($input: RegisterStudentInput!) { registerStudent(input: $input) { id } }`, {
      input: {
        schoolId: demo.institutionAdmin.institutionId,
        givenName: 'Iris',
        familyName: 'Newcomer',
        email: `iris.${randomUUID()}@example.edu`,
        cohortYear: 2025,
        priorClinicalYears: 3,
      },
    });
    expect(registered.body.errors).toBeUndefined();
    const studentId = registered.body.data.registerStudent.id as string;
    const SUGGEST = `query($id: ID!) { mentorSuggestions(studentId: $id) { mentor { id } score reasons { code } } }`;
    // Until StudentRegistered reaches mentorship, the coordinator cannot act for the student there.
    await waitFor('StudentRegistered in mentorship', async () => {
      const { body } = await as(tokens.coordinator!)(SUGGEST, { id: studentId });
      return !body.errors && body.data.mentorSuggestions.length > 0;
    });
    const { body } = await as(tokens.coordinator!)(SUGGEST, { id: studentId });
    // Three years of clinical work: research-active mentors come first.
    expect(body.data.mentorSuggestions[0].reasons.map((r: { code: string }) => r.code)).toContain('RESEARCH_ACTIVE');
  });
});
