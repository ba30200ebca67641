import { z } from 'zod';

/** Who a step of the ladder tells. */
export const AUDIENCES = ['ASSESSOR', 'COORDINATORS', 'QUALITY_OFFICE'] as const;
export type Audience = (typeof AUDIENCES)[number];

/** One rung of a school's reminder ladder, relative to the task's due time. */
export interface LadderStep {
  /** Stable name of the rung (BEFORE_DUE, AT_DUE, OVERDUE, ESCALATION, QUALITY or the school's own). */
  key: string;
  /** Hours after the due time (negative: before). */
  offsetHours: number;
  audience: Audience;
}

/** A school's reminder policy (ARCHITECTURE: configurable by its INSTITUTION_ADMIN or QUALITY_OFFICER). */
export interface ReminderPolicy {
  steps: LadderStep[];
  quietFromHour: number;
  quietUntilHour: number;
  skipWeekends: boolean;
  /** Reminders about one task one person may get in one local day. */
  perTaskDailyCap: number;
  /** Reminders one person may get in one local day, all tasks together; the rest wait a day. */
  perPersonDailyCap: number;
  /** Weeks a mentee may go without meeting their mentor before the mentor is reminded. */
  menteeMeetingGapWeeks: number;
  /** Weeks more without a meeting before the school's coordinators are told. */
  menteeMeetingEscalationWeeks: number;
}

/**
 * The defaults the issue names: 3 days before due, at due and 2 days overdue to the assessor;
 * 5 days overdue to the coordinators; 10 days overdue to the quality office (weekly summary).
 * A mentee 6 weeks without a meeting: their mentor is reminded; 2 weeks later, the coordinators.
 */
export const DEFAULT_POLICY: ReminderPolicy = {
  steps: [
    { key: 'BEFORE_DUE', offsetHours: -72, audience: 'ASSESSOR' },
    { key: 'AT_DUE', offsetHours: 0, audience: 'ASSESSOR' },
    { key: 'OVERDUE', offsetHours: 48, audience: 'ASSESSOR' },
    { key: 'ESCALATION', offsetHours: 120, audience: 'COORDINATORS' },
    { key: 'QUALITY', offsetHours: 240, audience: 'QUALITY_OFFICE' },
  ],
  quietFromHour: 21,
  quietUntilHour: 7,
  skipWeekends: true,
  perTaskDailyCap: 1,
  perPersonDailyCap: 10,
  menteeMeetingGapWeeks: 6,
  menteeMeetingEscalationWeeks: 2,
};

const hour = z.number().int().min(0).max(23);

/** The input of setReminderPolicy (BAD_USER_INPUT names each bad field). */
export const reminderPolicySchema = z
  .object({
    institutionId: z.uuid(),
    steps: z
      .array(
        z.object({
          key: z.string().regex(/^[A-Z][A-Z0-9_]{1,39}$/, 'must be UPPER_SNAKE_CASE'),
          offsetHours: z
            .number()
            .int()
            .min(-24 * 60)
            .max(24 * 90),
          audience: z.enum(AUDIENCES),
        }),
      )
      .min(1)
      .max(10)
      .refine((steps) => new Set(steps.map((s) => s.key)).size === steps.length, 'step keys must be unique'),
    quietFromHour: hour.default(DEFAULT_POLICY.quietFromHour),
    quietUntilHour: hour.default(DEFAULT_POLICY.quietUntilHour),
    skipWeekends: z.boolean().default(DEFAULT_POLICY.skipWeekends),
    perTaskDailyCap: z.number().int().min(1).max(10).default(DEFAULT_POLICY.perTaskDailyCap),
    perPersonDailyCap: z.number().int().min(1).max(100).default(DEFAULT_POLICY.perPersonDailyCap),
    menteeMeetingGapWeeks: z.number().int().min(1).max(52).default(DEFAULT_POLICY.menteeMeetingGapWeeks),
    menteeMeetingEscalationWeeks: z.number().int().min(1).max(52).default(DEFAULT_POLICY.menteeMeetingEscalationWeeks),
  })
  .refine((p) => p.quietFromHour !== p.quietUntilHour, { message: 'quiet hours must not be empty', path: ['quietUntilHour'] });

export type ReminderPolicyInput = z.infer<typeof reminderPolicySchema>;
