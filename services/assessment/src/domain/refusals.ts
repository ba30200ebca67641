import { type AppError, BadUserInputError, ConflictError } from '@medcollab/kit';

/**
 * Why an assessment rule refused a change. Clients read `extensions.reason` next to
 * `extensions.code`. A rule about the stored state is a CONFLICT (it may pass later); a rule
 * about what the input names is BAD_USER_INPUT (the caller must send something else).
 */
export const REFUSAL_CODES = {
  /** The task is no longer PENDING (submitted, declined or expired). */
  TASK_NOT_PENDING: 'CONFLICT',
  /** The due date has passed; the expiry sweep will mark the task EXPIRED. */
  TASK_OVERDUE: 'CONFLICT',
  /** The assessor has declined as many tasks this academic year as allowed. */
  DECLINE_LIMIT_REACHED: 'CONFLICT',
  /** The assessor already has as many tasks this ISO week as allowed. */
  ASSESSOR_WEEKLY_CAP: 'CONFLICT',
  /** Responses do not fit the instrument (an item is missing, off its scale, unknown…). */
  INVALID_RESPONSES: 'BAD_USER_INPUT',
  /** Evaluations of sites and teachers cannot be amended (each version would be an individual answer to compare). */
  EVALUATION_NOT_AMENDABLE: 'CONFLICT',
  /** Only a SUBMITTED submission can be amended. */
  SUBMISSION_NOT_SUBMITTED: 'CONFLICT',
  /** The amendment changes nothing. */
  AMENDMENT_CHANGES_NOTHING: 'BAD_USER_INPUT',
  /** The assessor may not assess this student (role, institution or placement). */
  ASSESSOR_NOT_ELIGIBLE: 'BAD_USER_INPUT',
  /** Evaluations of sites and teachers come from placements only; another instrument is needed. */
  INSTRUMENT_NOT_ASSIGNABLE: 'BAD_USER_INPUT',
  /** The placement named is not the student's. */
  PLACEMENT_MISMATCH: 'BAD_USER_INPUT',
  /** The due date is not in the future. */
  DUE_DATE_PASSED: 'BAD_USER_INPUT',
  /** An item names a competency the curriculum has not published. */
  UNKNOWN_COMPETENCY: 'BAD_USER_INPUT',
  /** Instruments are maintained by schools (or the network), not hospitals. */
  OWNER_IS_HOSPITAL: 'BAD_USER_INPUT',
  /** The program named belongs to another school. */
  PROGRAM_OF_ANOTHER_SCHOOL: 'BAD_USER_INPUT',
} as const;

export type RefusalReason = keyof typeof REFUSAL_CODES;

/** The error for a refused change: its GraphQL code from the table above, plus the reason and details. */
export function refusal(reason: RefusalReason, message: string, details: Record<string, unknown> = {}): AppError {
  const extensions = { reason, ...details };
  return REFUSAL_CODES[reason] === 'CONFLICT' ? new ConflictError(message, extensions) : new BadUserInputError(message, extensions);
}
