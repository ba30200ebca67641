import { refusal } from './refusals';

/**
 * Seats of one school at one department in one block. `held` counts every placement that is
 * not cancelled (PROPOSED included: a proposal holds a seat so two coordinators cannot
 * promise the same one); `committed` counts CONFIRMED, IN_PROGRESS and COMPLETED.
 */
export interface SeatUse {
  seats: number;
  held: number;
  committed: number;
}

/** A new proposal needs a free seat among those not yet held. */
export function assertSeatForProposal(use: SeatUse | null): void {
  const seats = use?.seats ?? 0;
  const held = use?.held ?? 0;
  if (held >= seats) {
    throw refusal('OVER_CAPACITY', `All ${seats} seat(s) of this school at this department in this block are taken`, { seats, held });
  }
}

/**
 * Confirming needs a seat among the committed ones. The hospital may have lowered seats
 * below the proposals held: then the first proposals confirmed win, the rest are refused.
 * `committed` must not include the placement being confirmed.
 */
export function assertSeatForConfirmation(use: SeatUse | null): void {
  const seats = use?.seats ?? 0;
  const committed = use?.committed ?? 0;
  if (committed >= seats) {
    throw refusal('OVER_CAPACITY', `All ${seats} seat(s) of this school at this department in this block are committed`, {
      seats,
      committed,
    });
  }
}

/** The hospital may lower seats down to the committed placements, never below (they would be stranded). */
export function assertSeatsKeepCommitted(newSeats: number, committed: number): void {
  if (newSeats < committed) {
    throw refusal('WOULD_STRAND_PLACEMENTS', `${committed} placement(s) are already confirmed here; seats cannot go below that`, {
      seats: newSeats,
      committed,
    });
  }
}

/** After a swap every affected seat count must still fit (held never above seats). */
export function assertSeatsFit(use: SeatUse & { departmentId: string; blockId: string }): void {
  if (use.held > use.seats) {
    throw refusal('OVER_CAPACITY', 'The swap would put more students in a department and block than it has seats', {
      seats: use.seats,
      held: use.held,
      departmentId: use.departmentId,
      blockId: use.blockId,
    });
  }
}
