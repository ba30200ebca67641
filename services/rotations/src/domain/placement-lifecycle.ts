import { addDaysToInstant } from '@medcollab/kit';
import { type PlacementStatus } from './model';
import { refusal } from './refusals';

/**
 * The placement state machine: PROPOSED -> CONFIRMED -> IN_PROGRESS -> COMPLETED, and any
 * state that is not final -> CANCELLED. Everything else is INVALID_TRANSITION.
 */
export type PlacementAction = 'confirm' | 'start' | 'complete' | 'cancel';

const TRANSITIONS: Record<PlacementAction, { from: readonly PlacementStatus[]; to: PlacementStatus; verb: string }> = {
  confirm: { from: ['PROPOSED'], to: 'CONFIRMED', verb: 'confirmed' },
  start: { from: ['CONFIRMED'], to: 'IN_PROGRESS', verb: 'started' },
  complete: { from: ['IN_PROGRESS'], to: 'COMPLETED', verb: 'completed' },
  cancel: { from: ['PROPOSED', 'CONFIRMED', 'IN_PROGRESS'], to: 'CANCELLED', verb: 'cancelled' },
};

/** The status after `action`, or INVALID_TRANSITION naming the state the placement is in. */
export function nextPlacementStatus(current: PlacementStatus, action: PlacementAction): PlacementStatus {
  const step = TRANSITIONS[action];
  if (!step.from.includes(current)) {
    throw refusal('INVALID_TRANSITION', `Only a ${step.from.join(' or ')} placement can be ${step.verb}; this one is ${current}`, {
      status: current,
      action,
    });
  }
  return step.to;
}

/**
 * Holding a seat: every placement that is not cancelled. A seat in a block stays used once
 * the placement completed (the block's days were spent there), so COMPLETED counts too.
 */
export const holdsSeat = (status: PlacementStatus): boolean => status !== 'CANCELLED';

/** Committed to a seat: the hospital agreed (confirmed) or the student is or was there. */
export const commitsSeat = (status: PlacementStatus): boolean =>
  status === 'CONFIRMED' || status === 'IN_PROGRESS' || status === 'COMPLETED';

/** Statuses that may still be swapped: not yet started. */
export const isSwappable = (status: PlacementStatus): boolean => status === 'PROPOSED' || status === 'CONFIRMED';

/**
 * How long the hospital may see the student through a placement after a transition to
 * `status` at `at`: null = open-ended (placement confirmed or running); an instant = until
 * then (completed: `graceDays` later; cancelled: at once); undefined = never granted (proposed).
 */
export function accessUntilAfter(status: PlacementStatus, at: Date, graceDays: number): Date | null | undefined {
  switch (status) {
    case 'CONFIRMED':
    case 'IN_PROGRESS':
      return null;
    case 'COMPLETED':
      return addDaysToInstant(at, graceDays);
    case 'CANCELLED':
      return at;
    // Stryker disable next-line ConditionalExpression: emptying the default case falls out of the switch, and the function then returns undefined, as this case does.
    default:
      return undefined;
  }
}

/** The hospital's grant through one placement, as stored on it. */
export interface GrantState {
  status: PlacementStatus;
  accessUntil: Date | null;
}

/** True while the placement lets its hospital's staff see the student and its records. */
export function hospitalGrantActive(p: GrantState, now: Date): boolean {
  if (p.status === 'CONFIRMED' || p.status === 'IN_PROGRESS') return true;
  return p.status === 'COMPLETED' && p.accessUntil !== null && p.accessUntil.getTime() > now.getTime();
}
