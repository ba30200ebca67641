import { isSwappable } from './placement-lifecycle';
import { type PlacementStatus, type SwapStatus } from './model';
import { refusal } from './refusals';

/**
 * Swaps: a student asks to exchange their placement with another student's (the other
 * student accepts, then a coordinator of their school decides), or to move their placement
 * to another department in the same block (straight to the coordinator).
 */
export interface PlacementTerms {
  id: string;
  studentId: string;
  schoolId: string;
  hospitalId: string;
  departmentId: string;
  blockId: string;
  startsOn: string;
  endsOn: string;
  supervisorId: string | null;
  status: PlacementStatus;
}

export type SwapAction = 'accept' | 'decline' | 'approve' | 'reject';

const SWAP_TRANSITIONS: Record<SwapAction, { from: SwapStatus; to: SwapStatus }> = {
  accept: { from: 'AWAITING_PEER', to: 'AWAITING_COORDINATOR' },
  decline: { from: 'AWAITING_PEER', to: 'DECLINED' },
  approve: { from: 'AWAITING_COORDINATOR', to: 'APPROVED' },
  reject: { from: 'AWAITING_COORDINATOR', to: 'REJECTED' },
};

export const initialSwapStatus = (withPlacement: boolean): SwapStatus => (withPlacement ? 'AWAITING_PEER' : 'AWAITING_COORDINATOR');

export function nextSwapStatus(current: SwapStatus, action: SwapAction): SwapStatus {
  const step = SWAP_TRANSITIONS[action];
  if (current !== step.from) {
    throw refusal('INVALID_TRANSITION', `Only a swap that is ${step.from} can be ${action}ed; this one is ${current}`, {
      status: current,
      action,
    });
  }
  return step.to;
}

/** Only placements that have not started can be swapped. */
export function assertPlacementSwappable(p: PlacementTerms): void {
  if (!isSwappable(p.status)) {
    throw refusal('INVALID_TRANSITION', `Only a PROPOSED or CONFIRMED placement can be swapped; this one is ${p.status}`, {
      placementId: p.id,
      status: p.status,
    });
  }
}

/** An exchange joins two placements of one school held by two different students. */
export function assertExchangePair(a: PlacementTerms, b: PlacementTerms): void {
  if (a.id === b.id || a.studentId === b.studentId) {
    throw refusal('SWAP_NOT_ALLOWED', 'A swap needs the placement of another student');
  }
  if (a.schoolId !== b.schoolId) throw refusal('SWAP_NOT_ALLOWED', 'Only placements of students of the same school can be swapped');
}

type Site = Pick<PlacementTerms, 'hospitalId' | 'departmentId' | 'blockId' | 'startsOn' | 'endsOn' | 'supervisorId'>;
const siteOf = (p: PlacementTerms): Site => ({
  hospitalId: p.hospitalId,
  departmentId: p.departmentId,
  blockId: p.blockId,
  startsOn: p.startsOn,
  endsOn: p.endsOn,
  supervisorId: p.supervisorId,
});

/** The two placements after an exchange: each keeps its student, status and id, and takes the other's site. */
export function exchangedTerms(a: PlacementTerms, b: PlacementTerms): [PlacementTerms, PlacementTerms] {
  return [
    { ...a, ...siteOf(b) },
    { ...b, ...siteOf(a) },
  ];
}

/** The placement after a move: same block, another department (its supervisor belonged to the old one). */
export function movedTerms(a: PlacementTerms, to: { departmentId: string; hospitalId: string }): PlacementTerms {
  if (to.departmentId === a.departmentId) throw refusal('SWAP_NOT_ALLOWED', 'The placement is already in this department');
  return { ...a, departmentId: to.departmentId, hospitalId: to.hospitalId, supervisorId: null };
}
