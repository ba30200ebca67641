import { KnownDepartment, KnownInstitution, KnownPerson } from './known.entity';
import { Notification } from './notification.entity';
import { ReminderPolicyRow, ReminderStep, ReminderTask } from './reminder.entity';

export { KnownDepartment, KnownInstitution, KnownPerson, Notification, ReminderPolicyRow, ReminderStep, ReminderTask };
export type { ReminderTaskStatus, StepStatus } from './reminder.entity';

/** Every entity of the notifications database, for the DataSource. */
export const entities = [KnownInstitution, KnownDepartment, KnownPerson, ReminderPolicyRow, ReminderTask, ReminderStep, Notification];
