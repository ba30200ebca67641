import { z } from 'zod';
import { defineEvent } from '../contract';
import { instant } from './scalars';

/**
 * Notifications sent an assessment task's reminder (to its assessor) or escalation (to the
 * school's coordinators): a planned step of the task's reminder plan fired, or was held for the
 * recipient's digest. Aggregate: the step (each fires once). For quality's assessment-process
 * figures: reminders and escalations needed per completed task (issue 13). No recipient and no
 * message: only which task needed which kind of nudge, and when.
 */
export const AssessmentReminderSent = defineEvent(
  'AssessmentReminderSent',
  1,
  'ReminderStep',
  z.object({
    stepId: z.uuid(),
    taskId: z.uuid(),
    /** REMINDER: to the assessor (before, at or after the due date); ESCALATION: to the school's coordinators. */
    kind: z.enum(['REMINDER', 'ESCALATION']),
    /** The rung of the school's reminder policy (BEFORE_DUE, AT_DUE, OVERDUE, ESCALATION or the school's own). */
    stepKey: z.string(),
    sentAt: instant,
  }),
);
