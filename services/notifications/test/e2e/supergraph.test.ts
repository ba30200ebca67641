import { assessmentEventHandlers, createAssessmentSubgraph, libraryInstrumentId } from '@medcollab/assessment';
import { type DemoNetworkSummary } from '@medcollab/demo-world';
import { networkSubgraph, seedDemoNetwork } from '@medcollab/network';
import { e2eClient, type Pipeline, startPipeline, tokenFor, waitFor } from '@medcollab/testing';
import { notificationEventHandlers } from '../../src/projections';
import { reminderTask } from '../../src/reminder-loop';
import { notificationsSubgraph } from '../../src/server';

/**
 * Network, assessment and notifications behind the real gateway, each with its real worker: the
 * demo network's people reach notifications through events; a task assigned through the gateway
 * gets its reminder plan; a step that falls due fires through BullMQ into the assessor's inbox;
 * a declined task's remaining steps are cancelled. AssessmentTask.reminders is read through the
 * gateway, joined onto assessment's own AssessmentTask.
 */
let p: Pipeline;
let demo: DemoNetworkSummary;
let teacher: { id: string; institutionId: string };
const tokens: Record<string, string> = {};
const { data } = e2eClient(() => p.supergraph, tokens);

beforeAll(async () => {
  p = await startPipeline([
    { module: networkSubgraph },
    { module: createAssessmentSubgraph(), handlers: assessmentEventHandlers() },
    { module: notificationsSubgraph, handlers: notificationEventHandlers, tasks: [reminderTask({ pollIntervalMs: 200 })] },
  ]);
  demo = await seedDemoNetwork(p.subgraphs.network!.dataSource);
  const [row] = (await p.subgraphs.network!.dataSource.query(
    `SELECT id, institution_id FROM staff_member WHERE institution_id = $1 AND 'TEACHER' = ANY(roles) ORDER BY id LIMIT 1`,
    [demo.coordinator.institutionId],
  )) as { id: string; institution_id: string }[];
  teacher = { id: row!.id, institutionId: row!.institution_id };
  tokens.coordinator = await tokenFor({
    personId: demo.coordinator.id,
    institutionId: demo.coordinator.institutionId,
    roles: ['COORDINATOR'],
  });
  tokens.teacher = await tokenFor({ personId: teacher.id, institutionId: teacher.institutionId, roles: ['TEACHER'] });
  const known = (ds: Pipeline['subgraphs'][string] | undefined, sql: string) => async () =>
    ((await ds!.dataSource.query(sql)) as { n: number }[])[0]!.n > 0;
  await waitFor(
    'the demo people to reach assessment',
    known(p.subgraphs.assessment, `SELECT count(*)::int AS n FROM known_student`),
    120_000,
  );
  await waitFor(
    'the demo people to reach notifications',
    known(p.subgraphs.notifications, `SELECT count(*)::int AS n FROM known_person WHERE kind = 'STAFF'`),
    120_000,
  );
});
afterAll(() => p?.stop());

const REMINDERS = `query($id: ID!) { assessmentTask(id: $id) { id status reminders { stepKey audience status recipientName } } }`;

describe('reminders through the supergraph', () => {
  it('plans an assigned task, fires a due step into the inbox, and cancels the rest when the task is declined', async () => {
    const dueAt = new Date(Date.now() + 4 * 86_400_000).toISOString();
    const { assignAssessment } = await data(
      'coordinator',
      `mutation($input: AssignAssessmentInput!) { assignAssessment(input: $input) { id } }`,
      { input: { instrumentId: libraryInstrumentId('mini-cex'), studentId: demo.student.id, assessorId: teacher.id, dueAt } },
    );
    const taskId = assignAssessment.id as string;
    const notifications = p.subgraphs.notifications!.dataSource;
    await waitFor(
      'the plan',
      async () => ((await notifications.query(`SELECT 1 FROM reminder_step WHERE task_id = $1`, [taskId])) as unknown[]).length > 0,
      120_000,
    );

    const planned = (await data('coordinator', REMINDERS, { id: taskId })).assessmentTask;
    expect(planned.status).toBe('PENDING');
    expect(planned.reminders.map((r: { stepKey: string }) => r.stepKey)).toEqual(
      expect.arrayContaining(['BEFORE_DUE', 'AT_DUE', 'OVERDUE', 'ESCALATION']),
    );
    expect(planned.reminders.find((r: { stepKey: string }) => r.stepKey === 'AT_DUE')).toMatchObject({
      audience: 'ASSESSOR',
      status: 'PLANNED',
    });

    // The demo's first step falls due now (instead of in a day): the real reminders task fires it.
    await notifications.query(`UPDATE reminder_step SET fire_at = now() WHERE task_id = $1 AND step_key = 'BEFORE_DUE'`, [taskId]);
    await waitFor(
      'the step to reach the inbox',
      async () => (await data('teacher', `{ myUnreadNotificationCount }`)).myUnreadNotificationCount === 1,
      120_000,
    );
    const inbox = (await data('teacher', `{ myNotifications(first: 5) { edges { node { title assessmentTask { id status } } } } }`))
      .myNotifications;
    expect(inbox.edges[0].node).toMatchObject({ assessmentTask: { id: taskId, status: 'PENDING' } });
    expect(inbox.edges[0].node.title).toContain('Mini-CEX');

    await data('teacher', `mutation($input: DeclineAssessmentInput!) { declineAssessment(input: $input) { id } }`, {
      input: { taskId, reason: 'On leave' },
    });
    await waitFor(
      'the remaining steps to be cancelled',
      async () =>
        (await data('coordinator', REMINDERS, { id: taskId })).assessmentTask.reminders.every(
          (r: { status: string }) => r.status !== 'PLANNED',
        ),
      120_000,
    );
    const settled = (await data('coordinator', REMINDERS, { id: taskId })).assessmentTask;
    expect(settled.status).toBe('DECLINED');
    expect(settled.reminders.filter((r: { status: string }) => r.status === 'FIRED').map((r: { stepKey: string }) => r.stepKey)).toEqual([
      'BEFORE_DUE',
    ]);
  });
});
