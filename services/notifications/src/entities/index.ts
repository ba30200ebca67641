import { KnownDepartment, KnownInstitution, KnownPerson } from './known.entity';
import { ReminderMentee, ReminderMentorship } from './mentorship-reminder.entity';
import { Notification } from './notification.entity';
import {
  ReminderDigest,
  ReminderPlacement,
  ReminderPolicyRow,
  ReminderPreferenceWindow,
  ReminderStep,
  ReminderTask,
} from './reminder.entity';

export {
  KnownDepartment,
  KnownInstitution,
  KnownPerson,
  Notification,
  ReminderDigest,
  ReminderMentee,
  ReminderMentorship,
  ReminderPlacement,
  ReminderPolicyRow,
  ReminderPreferenceWindow,
  ReminderStep,
  ReminderTask,
};
export { STEP_STATUSES } from './reminder.entity';
export type { PlacementReminderStatus, ReminderTaskStatus, StepAudience, StepStatus } from './reminder.entity';

/** Every entity of the notifications database, for the DataSource. */
export const entities = [
  KnownInstitution,
  KnownDepartment,
  KnownPerson,
  ReminderPolicyRow,
  ReminderTask,
  ReminderStep,
  ReminderPlacement,
  ReminderPreferenceWindow,
  ReminderDigest,
  ReminderMentorship,
  ReminderMentee,
  Notification,
];
