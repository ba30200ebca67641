import { type AppError, BadUserInputError, ConflictError } from '@medcollab/kit';

/**
 * Why a rotations rule refused a change. Clients read `extensions.reason` (next to
 * `extensions.code`) to tell the refusals apart. A rule about the stored state of the world is
 * a CONFLICT (it may pass later, or after another change); a rule about what the input names
 * is BAD_USER_INPUT (the caller must send something else).
 */
export const REFUSAL_CODES = {
  /** A new block would share a day with another block of the school's calendar. */
  BLOCK_OVERLAP: 'CONFLICT',
  /** No ACTIVE agreement lets this school's students into this department. */
  NO_AGREEMENT: 'CONFLICT',
  /** An ACTIVE agreement covers the department, but not every day of the block. */
  AGREEMENT_DOES_NOT_COVER_DATES: 'CONFLICT',
  /** Lowering seats below the placements already confirmed, running or done there. */
  WOULD_STRAND_PLACEMENTS: 'CONFLICT',
  /** Every seat of the school at this department in this block is taken. */
  OVER_CAPACITY: 'CONFLICT',
  /** The student already has a (not cancelled) placement in this block. */
  ALREADY_PLACED_IN_BLOCK: 'CONFLICT',
  /** The named supervisor is not a clinical instructor of the placement's department. */
  SUPERVISOR_NOT_IN_DEPARTMENT: 'BAD_USER_INPUT',
  /** The named supervisor is a clinical instructor there, but no longer active (the network deactivated them). */
  SUPERVISOR_INACTIVE: 'BAD_USER_INPUT',
  /** The placement (or swap) is not in a state that allows this step. */
  INVALID_TRANSITION: 'CONFLICT',
  /** No preference window of the school's academic year is open now. */
  PREFERENCE_WINDOW_CLOSED: 'CONFLICT',
  /** Ranks are not 1..n without gaps or duplicates, or an entry names no target. */
  INVALID_RANKING: 'BAD_USER_INPUT',
  /** The block belongs to another school or academic year than the request. */
  BLOCK_NOT_IN_CALENDAR: 'BAD_USER_INPUT',
  /** A swap must join two placements of one school, of two different students. */
  SWAP_NOT_ALLOWED: 'BAD_USER_INPUT',
  /** One of the placements already has a swap waiting for an answer or a decision. */
  SWAP_PENDING: 'CONFLICT',
  /** The student has not completed the modules the applicable rotation requirement names first. */
  PREREQUISITE_NOT_MET: 'CONFLICT',
  /** A swap or move would leave a rotation's live parts at two departments or in blocks that do not follow each other (ADR 0035). */
  ROTATION_WOULD_SPLIT: 'CONFLICT',
} as const;

export type RefusalReason = keyof typeof REFUSAL_CODES;

/** The error for a refused change: its GraphQL code from the table above, plus the reason and details. */
export function refusal(reason: RefusalReason, message: string, details: Record<string, unknown> = {}): AppError {
  const extensions = { reason, ...details };
  return REFUSAL_CODES[reason] === 'CONFLICT' ? new ConflictError(message, extensions) : new BadUserInputError(message, extensions);
}
