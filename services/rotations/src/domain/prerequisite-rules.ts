import { type Specialty } from './model';
import { refusal } from './refusals';

/** A rotation requirement, as far as prerequisites go. */
export interface RequirementPrerequisites {
  id: string;
  programId: string;
  /** null: every track of the program. */
  trackId: string | null;
  specialty: Specialty;
  prerequisiteModuleIds: readonly string[];
}

/** A student's active enrolment as curriculum announced it. */
export interface EnrolmentTerms {
  programId: string;
  trackId: string | null;
}

/**
 * The requirement that applies to a student on `enrolment` for a rotation in `specialty`: the
 * one set for their track if the program has one, otherwise the one set for every track of
 * the program, otherwise none. A track's own requirement replaces the program-wide one (that
 * is why a coordinator sets it), it does not add to it.
 */
export function applicableRequirement<R extends RequirementPrerequisites>(
  requirements: readonly R[],
  enrolment: EnrolmentTerms,
  specialty: Specialty,
): R | null {
  const forProgram = requirements.filter((r) => r.programId === enrolment.programId && r.specialty === specialty);
  const ofTrack = enrolment.trackId ? forProgram.find((r) => r.trackId === enrolment.trackId) : undefined;
  return ofTrack ?? forProgram.find((r) => r.trackId === null) ?? null;
}

export interface MissingPrerequisites {
  /** The requirements that name modules the student has not completed. */
  requirementIds: string[];
  /** Those modules, sorted, each once. */
  missingModuleIds: string[];
}

/**
 * The prerequisite modules a student still lacks for a rotation in `specialty`, over every
 * active enrolment (a student in two programs meets both programs' requirements). Nothing
 * applies when the department's specialty is unknown or the student has no known enrolment.
 */
export function missingPrerequisites(
  requirements: readonly RequirementPrerequisites[],
  enrolments: readonly EnrolmentTerms[],
  specialty: Specialty | null,
  completedModuleIds: ReadonlySet<string>,
): MissingPrerequisites {
  const requirementIds = new Set<string>();
  const missing = new Set<string>();
  if (specialty) {
    for (const enrolment of enrolments) {
      const requirement = applicableRequirement(requirements, enrolment, specialty);
      const lacking = requirement?.prerequisiteModuleIds.filter((m) => !completedModuleIds.has(m)) ?? [];
      if (!requirement || !lacking.length) continue;
      requirementIds.add(requirement.id);
      for (const m of lacking) missing.add(m);
    }
  }
  return { requirementIds: [...requirementIds].sort(), missingModuleIds: [...missing].sort() };
}

/** Refuses PREREQUISITE_NOT_MET (naming the missing modules) unless every applicable prerequisite is completed. */
export function assertPrerequisitesMet(
  requirements: readonly RequirementPrerequisites[],
  enrolments: readonly EnrolmentTerms[],
  site: { departmentId: string; specialty: Specialty | null },
  completedModuleIds: ReadonlySet<string>,
): void {
  const { requirementIds, missingModuleIds } = missingPrerequisites(requirements, enrolments, site.specialty, completedModuleIds);
  if (!missingModuleIds.length) return;
  throw refusal(
    'PREREQUISITE_NOT_MET',
    `The student has not completed the modules the ${site.specialty} rotation requirement names first`,
    {
      departmentId: site.departmentId,
      specialty: site.specialty,
      requirementIds,
      missingModuleIds,
    },
  );
}
