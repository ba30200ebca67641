/**
 * The notifications worker process (no GraphQL API). It consumes the network's directory events
 * and assessment's task lifecycle into reminder plans (src/projections), applied in micro-batches (a flood of
 * assigned tasks is planned a batch per transaction, see ADR 0019), and runs the reminders
 * task: a loop that sleeps until the plan's next step falls due and fires what is due, a batch
 * per transaction (src/reminder-loop.ts, ADR 0029), and the email sender (src/email-sender.ts) that sends the
 * emails those firings wrote, over SMTP, and the webhook sender (src/webhook-sender.ts). Probes: /healthz and /readyz on HEALTH_PORT (default 4106).
 */
import { startWorkerProcess } from '@medcollab/events';
import { notificationBatchHandlers, notificationEventHandlers } from './projections';
import { emailTask } from './email-sender';
import { reminderSettingsFromEnv, reminderTask } from './reminder-loop';
import { notificationSettings } from './settings';
import { webhookTask } from './webhook-sender';
import { notificationsSubgraph } from './server';

// Tests run this very file against their own database (NOTIFICATIONS_DATABASE_URL); deployments use DATABASE_URL.
startWorkerProcess(
  {
    module: notificationsSubgraph,
    handlers: notificationEventHandlers,
    // A flood of assigned tasks (a season's tasks published at once) is planned a batch at a time.
    batch: { handlers: notificationBatchHandlers },
    tasks: [reminderTask(reminderSettingsFromEnv()), emailTask(notificationSettings()), webhookTask(notificationSettings())],
  },
  { databaseUrl: process.env.NOTIFICATIONS_DATABASE_URL || undefined },
);
