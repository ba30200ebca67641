import { randomUUID } from 'node:crypto';
import { createConsumer, PlacementStarted } from '@medcollab/events';
import { type DemoNetworkSummary } from '@medcollab/demo-world';
import { mentorshipEventHandlers, mentorshipSubgraph, seedDemoMentorship } from '@medcollab/mentorship';
import { mentorGrantHandlers, networkSubgraph, seedDemoNetwork } from '@medcollab/network';
import { e2eClient, type Pipeline, startPipeline, tokenFor, waitFor } from '@medcollab/testing';
import { notificationEventHandlers } from '../../src/projections';
import { reminderTask } from '../../src/reminder-loop';
import { notificationsSubgraph } from '../../src/server';

/**
 * Mentors' one inbox, through the real gateway: network, mentorship and notifications with their
 * real workers. A mentorship created through the gateway plans the mentee-without-a-meeting
 * reminder in notifications; a logged meeting re-plans it; the reminder fires through the firing loop into
 * the mentor's inbox naming the mentee; a placement that starts (rotations' event, applied by
 * mentorship's consumer) reaches the mentor as a notice in the same inbox; nobody else reads it;
 * a pause stops the reminder.
 */
let p: Pipeline;
let demo: DemoNetworkSummary;
let mentor: { id: string; institutionId: string };
const tokens: Record<string, string> = {};
const { data } = e2eClient(() => p.supergraph, tokens);
const notifications = () => p.subgraphs.notifications!.dataSource;
const rows = async (sql: string, params: unknown[] = []) => (await notifications().query(sql, params)) as Record<string, unknown>[];
const INBOX = `{ myNotifications(first: 20) { edges { node { id kind title body student { id } } } } myUnreadNotificationCount }`;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const inbox = async (who: string): Promise<any[]> => (await data(who, INBOX)).myNotifications.edges.map((e: { node: unknown }) => e.node);

beforeAll(async () => {
  p = await startPipeline([
    { module: networkSubgraph, handlers: mentorGrantHandlers },
    { module: mentorshipSubgraph, handlers: mentorshipEventHandlers },
    { module: notificationsSubgraph, handlers: notificationEventHandlers, tasks: [reminderTask({ pollIntervalMs: 200 })] },
  ]);
  demo = await seedDemoNetwork(p.subgraphs.network!.dataSource);
  const seeded = await seedDemoMentorship(p.subgraphs.mentorship!.dataSource, demo);
  const found = seeded.mentors.find((m) => m.institutionId === demo.coordinator.institutionId);
  mentor = { id: found!.id, institutionId: found!.institutionId };
  tokens.coordinator = await tokenFor({
    personId: demo.coordinator.id,
    institutionId: demo.coordinator.institutionId,
    roles: ['COORDINATOR'],
  });
  tokens.mentor = await tokenFor({ personId: mentor.id, institutionId: mentor.institutionId, roles: found!.roles as never });
  tokens.student = await tokenFor({ personId: demo.student.id, institutionId: demo.student.institutionId, roles: ['STUDENT'] });
  tokens.otherInstitution = await tokenFor({
    personId: demo.hospitalCoordinator.id,
    institutionId: demo.hospitalCoordinator.institutionId,
    roles: ['COORDINATOR'],
  });
  await waitFor(
    'the demo people to reach notifications',
    async () => (await rows(`SELECT 1 FROM known_person WHERE id = ANY($1::uuid[])`, [[mentor.id, demo.student.id]])).length === 2,
    120_000,
  );
}, 240_000);
afterAll(() => p?.stop(), 30_000);

describe('mentors are told through the notifications inbox', () => {
  let mentorshipId: string;
  let studentName: string;

  it('plans the mentee-without-a-meeting reminder for a new mentorship, and re-plans it from a logged meeting', async () => {
    const [student] = (await p.subgraphs.network!.dataSource.query(`SELECT given_name, family_name FROM student WHERE id = $1`, [
      demo.student.id,
    ])) as { given_name: string; family_name: string }[];
    studentName = `${student!.given_name} ${student!.family_name}`;
    const input = { mentorId: mentor.id, menteeIds: [demo.student.id], format: 'SMALL_GROUP', focus: 'CAREER', groupSizeLimit: 2 };
    mentorshipId = (
      await data('coordinator', `mutation($input: CreateMentorshipInput!) { createMentorship(input: $input) { id } }`, { input })
    ).createMentorship.id;
    await waitFor(
      'the plan in notifications',
      async () => (await rows(`SELECT 1 FROM reminder_step WHERE mentorship_id = $1 AND status = 'PLANNED'`, [mentorshipId])).length > 0,
      120_000,
    );
    const planned = await rows(
      `SELECT step_key, recipient_id FROM reminder_step WHERE mentorship_id = $1 AND status = 'PLANNED' ORDER BY step_key`,
      [mentorshipId],
    );
    expect(planned).toEqual(
      expect.arrayContaining([
        { step_key: 'MENTEE_WITHOUT_MEETING', recipient_id: mentor.id },
        { step_key: 'MENTEE_MEETING_ESCALATION', recipient_id: demo.coordinator.id },
      ]),
    );

    const today = new Date().toISOString().slice(0, 10);
    await data('mentor', `mutation($input: LogMeetingInput!) { logMeeting(input: $input) { id } }`, {
      input: { mentorshipId, date: today, attendeeIds: [mentor.id, demo.student.id], notes: 'Career plans' },
    });
    await waitFor(
      'the meeting to reach notifications',
      async () =>
        (await rows(`SELECT 1 FROM reminder_mentee WHERE mentorship_id = $1 AND last_met_on = $2::date`, [mentorshipId, today])).length ===
        1,
      120_000,
    );
    const met = await rows(`SELECT status, cancel_reason FROM reminder_step WHERE mentorship_id = $1 AND status = 'CANCELLED'`, [
      mentorshipId,
    ]);
    expect(met.length).toBeGreaterThan(0);
    expect(met.every((s) => s.cancel_reason === 'MET')).toBe(true);
    expect((await rows(`SELECT 1 FROM reminder_step WHERE mentorship_id = $1 AND status = 'PLANNED'`, [mentorshipId])).length).toBe(
      planned.length,
    );
  }, 240_000);

  it("fires the reminder into the mentor's inbox, naming the mentee", async () => {
    // The reminder falls due now instead of in six weeks: the real reminders task fires it.
    await notifications().query(
      `UPDATE reminder_step SET fire_at = now() WHERE mentorship_id = $1 AND status = 'PLANNED' AND step_key = 'MENTEE_WITHOUT_MEETING'`,
      [mentorshipId],
    );
    await waitFor(
      'the reminder in the inbox',
      async () => (await inbox('mentor')).some((n) => n.kind === 'MENTEE_WITHOUT_MEETING'),
      120_000,
    );
    const [reminder] = (await inbox('mentor')).filter((n) => n.kind === 'MENTEE_WITHOUT_MEETING');
    expect(reminder).toMatchObject({ title: `${studentName} has not met you for 6 weeks`, student: { id: demo.student.id } });
  }, 240_000);

  it("delivers mentorship's notice of a mentee's placement starting to the mentor's inbox, for the mentor alone", async () => {
    const hospital = demo.hospitals[0]!;
    const placementId = randomUUID();
    // Rotations' PlacementStarted, applied by mentorship's consumer: mentorship raises the notice through its outbox.
    const consumer = createConsumer({
      service: 'mentorship',
      dataSource: p.subgraphs.mentorship!.dataSource,
      handlers: mentorshipEventHandlers,
    });
    const payload = {
      placementId,
      studentId: demo.student.id,
      schoolId: demo.student.institutionId as string,
      hospitalId: hospital.id,
      departmentId: demo.clinicalInstructor.departmentId,
      blockId: randomUUID(),
      supervisorId: null,
      startsOn: '2027-01-11',
      endsOn: '2027-02-19',
      at: new Date().toISOString(),
      accessUntil: null,
    };
    const envelope = {
      id: randomUUID(),
      type: PlacementStarted.name,
      version: PlacementStarted.version,
      source: 'rotations',
      aggregateType: PlacementStarted.aggregateType,
      aggregateId: placementId,
      sequence: 1,
      occurredAt: payload.at,
      payload,
      metadata: {},
    };
    expect(await consumer.apply({ envelope, previousEventId: null })).toBe('applied');
    await waitFor(
      'the notice in the inbox',
      async () => (await inbox('mentor')).some((n) => n.kind === 'MENTEE_PLACEMENT_STARTED'),
      120_000,
    );
    const [notice] = (await inbox('mentor')).filter((n) => n.kind === 'MENTEE_PLACEMENT_STARTED');
    const [department] = (await p.subgraphs.network!.dataSource.query(`SELECT name FROM department WHERE id = $1`, [
      demo.clinicalInstructor.departmentId,
    ])) as { name: string }[];
    expect(notice).toMatchObject({
      title: `Your mentee ${studentName} started in ${department!.name}, ${hospital.name}`,
      student: { id: demo.student.id },
    });

    // Nobody else reads the mentor's notifications or marks them read: the student, another institution's coordinator.
    const ids = (await inbox('mentor')).map((n) => n.id as string);
    for (const who of ['student', 'otherInstitution']) {
      expect((await inbox(who)).filter((n) => ids.includes(n.id))).toEqual([]);
      expect((await data(who, `mutation($ids: [ID!]) { markNotificationsRead(ids: $ids) }`, { ids })).markNotificationsRead).toBe(0);
    }
    expect((await data('mentor', INBOX)).myUnreadNotificationCount).toBe(ids.length);
  }, 240_000);

  it('stops the reminder when the mentorship is paused', async () => {
    await data('mentor', `mutation($input: ChangeMentorshipInput!) { pauseMentorship(input: $input) { id } }`, {
      input: { mentorshipId, reason: 'Exams' },
    });
    await waitFor(
      'the plan to stop',
      async () => (await rows(`SELECT 1 FROM reminder_step WHERE mentorship_id = $1 AND status = 'PLANNED'`, [mentorshipId])).length === 0,
      120_000,
    );
    expect(
      await rows(
        `SELECT DISTINCT cancel_reason FROM reminder_step WHERE mentorship_id = $1 AND status = 'CANCELLED' AND cancel_reason <> 'MET'`,
        [mentorshipId],
      ),
    ).toEqual([{ cancel_reason: 'PAUSED' }]);
  }, 240_000);
});
