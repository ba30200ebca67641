/**
 * The rotations vocabulary, shared by the SDL, the validation schemas and the tables. Each
 * list mirrors an enum in schema.graphql (a test keeps them in step).
 */

/** PROPOSED -> CONFIRMED -> IN_PROGRESS -> COMPLETED; any non-final state -> CANCELLED. */
export const PLACEMENT_STATUSES = ['PROPOSED', 'CONFIRMED', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED'] as const;
export type PlacementStatus = (typeof PLACEMENT_STATUSES)[number];

/** A swap waits for the other student, then for the school's coordinator. */
export const SWAP_STATUSES = ['AWAITING_PEER', 'AWAITING_COORDINATOR', 'DECLINED', 'APPROVED', 'REJECTED'] as const;
export type SwapStatus = (typeof SWAP_STATUSES)[number];

/** Whose rotations a calendar feed shows. */
export const CALENDAR_OWNER_KINDS = ['STUDENT', 'DEPARTMENT'] as const;
export type CalendarOwnerKind = (typeof CALENDAR_OWNER_KINDS)[number];

/** Shared with every subgraph; the SDL repeats the enum verbatim (federation needs it in each). */
export { SPECIALTIES, type Specialty } from '@medcollab/kit';
