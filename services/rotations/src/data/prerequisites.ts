import { type EntityManager, In } from 'typeorm';
import { assertPrerequisitesMet } from '../domain/prerequisite-rules';
import { KnownDepartment, KnownEnrollment, KnownModuleCompletion, RotationRequirement } from '../entities';

/**
 * Refuses PREREQUISITE_NOT_MET when the requirement that applies to the student (their active
 * enrolments' programs and tracks, from curriculum's events) for the department's specialty
 * (from the network's agreement events) names modules they have not completed. Stops early,
 * and so stays cheap, when the specialty is unknown, the student has no known enrolment or no
 * requirement names a prerequisite.
 */
export async function assertPrerequisites(em: EntityManager, studentId: string, departmentId: string): Promise<void> {
  const specialty = (await em.getRepository(KnownDepartment).findOneBy({ id: departmentId }))?.specialty ?? null;
  if (!specialty) return;
  const enrolments = await em.getRepository(KnownEnrollment).findBy({ studentId, status: 'ACTIVE' });
  if (!enrolments.length) return;
  const requirements = await em
    .getRepository(RotationRequirement)
    .findBy({ programId: In([...new Set(enrolments.map((e) => e.programId))]), specialty });
  const named = [...new Set(requirements.flatMap((r) => r.prerequisiteModuleIds))];
  if (!named.length) return;
  const completed = await em.getRepository(KnownModuleCompletion).findBy({ studentId, moduleId: In(named) });
  assertPrerequisitesMet(requirements, enrolments, { departmentId, specialty }, new Set(completed.map((c) => c.moduleId)));
}
