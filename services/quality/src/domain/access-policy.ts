import { type Actor, hasRole } from '@medcollab/kit';
import { ALL_SCHOOLS, type ScopeKind } from './metrics';

/**
 * Who may read which figures (docs/architecture.md §4), as a pure function of the caller and
 * what quality knows of the scope. The answer is the cohort whose figures the caller reads:
 * ALL_SCHOOLS (every student's), or their own school's students only; null means refused.
 *
 * - network admins: any scope, every student;
 * - a hospital's quality officers (and institution admins): their hospital and its departments
 *   and teachers, every student;
 * - a hospital's coordinators: its departments and their teachers;
 * - a school's quality officers (and institution admins): their own students' figures across
 *   the network, in programs, and at their partner hospitals (any agreement, past or present);
 * - everyone else: nothing (teachers read their own released evaluation through
 *   StaffMember.teachingQuality, see mayReadOwnTeaching).
 */
export interface ScopeFacts {
  kind: ScopeKind;
  /** The institution the scope is in: the hospital of an institution, department or teacher; null for the network. */
  hospitalId: string | null;
}

export interface CallerFacts {
  /** Whether the caller's institution is a school (it appears as the school of an agreement). */
  isSchool: boolean;
  /** The school's partner hospitals. */
  partnerHospitals: readonly string[];
}

const OFFICE_ROLES = ['QUALITY_OFFICER', 'INSTITUTION_ADMIN'] as const;

export function cohortFor(actor: Actor, caller: CallerFacts, scope: ScopeFacts): string | null {
  if (hasRole(actor, 'NETWORK_ADMIN')) return ALL_SCHOOLS;
  const office = OFFICE_ROLES.some((r) => hasRole(actor, r));
  if (caller.isSchool) {
    if (!office) return null;
    // Its students' figures across the network, and in its programs and their cohorts (another school's hold none of them).
    if (scope.kind === 'NETWORK' || scope.kind === 'PROGRAM' || scope.kind === 'COHORT') return actor.institutionId;
    return scope.hospitalId && caller.partnerHospitals.includes(scope.hospitalId) ? actor.institutionId : null;
  }
  if (scope.hospitalId === null || scope.hospitalId !== actor.institutionId) return null;
  if (office) return ALL_SCHOOLS;
  if (hasRole(actor, 'COORDINATOR') && (scope.kind === 'DEPARTMENT' || scope.kind === 'TEACHER')) return ALL_SCHOOLS;
  return null;
}

/** A teacher reads their own evaluation (released figures only); network admins anyone's. */
export const mayReadOwnTeaching = (actor: Actor, staffId: string): boolean => hasRole(actor, 'NETWORK_ADMIN') || actor.personId === staffId;

/**
 * A program's curriculum figures (the latest publication, its modules, its history): network
 * admins, and the quality officers and admins of the program's school; a program quality knows
 * nothing of (`schoolId` null) only network admins.
 */
export const mayReadProgramCurriculum = (actor: Actor, schoolId: string | null): boolean =>
  hasRole(actor, 'NETWORK_ADMIN') || (schoolId !== null && OFFICE_ROLES.some((r) => hasRole(actor, r)) && schoolId === actor.institutionId);
