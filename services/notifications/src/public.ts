/** What other packages (the launcher, other services' tests, benchmarks) may import from the notifications service. */
export { notificationsSubgraph } from './server';
export { type NotificationsContext } from './context';
export { notificationBatchHandlers, notificationEventHandlers } from './projections';
export { reminderTask, reminderSettingsFromEnv } from './reminder-loop';
export { emailTask } from './email-sender';
export { notificationSettings } from './settings';
export { webhookTask } from './webhook-sender';
