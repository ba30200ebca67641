import { type PlacementStatus } from './model';

/**
 * Who may supervise a placement (issue 14). Pure: the data layer loads the placement and the
 * staff member from the network's projection (known_staff) and asks here.
 */

/**
 * A supervisor is named once the school has confirmed the placement and until it is completed:
 * a proposal is internal to the school (the hospital does not see it yet), and a completed
 * placement's end-of-placement tasks were already decided.
 */
export const SUPERVISABLE_STATUSES: readonly PlacementStatus[] = ['CONFIRMED', 'IN_PROGRESS'];

/** What rotations knows of a would-be supervisor (known_staff). */
export interface SupervisorFacts {
  id: string;
  institutionId: string;
  departmentId: string | null;
  roles: readonly string[];
  active: boolean;
}

/** Why a person may not supervise in a department; null when they may. */
export type SupervisorProblem = 'UNKNOWN' | 'NOT_AN_INSTRUCTOR_THERE' | 'INACTIVE';

/**
 * An active CLINICAL_INSTRUCTOR of the department, at the department's hospital. A staff
 * member's department belongs to their institution, so the hospital check guards a projection
 * that would disagree rather than a case the network can produce.
 */
export function supervisorProblem(
  staff: SupervisorFacts | null,
  where: { hospitalId: string; departmentId: string },
): SupervisorProblem | null {
  if (!staff) return 'UNKNOWN';
  if (staff.institutionId !== where.hospitalId || staff.departmentId !== where.departmentId || !staff.roles.includes('CLINICAL_INSTRUCTOR'))
    return 'NOT_AN_INSTRUCTOR_THERE';
  if (!staff.active) return 'INACTIVE';
  return null;
}

/** A placement in this status may get a (new) supervisor. */
export const maySupervise = (status: PlacementStatus): boolean => SUPERVISABLE_STATUSES.includes(status);
