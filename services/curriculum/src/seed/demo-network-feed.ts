import {
  DEMO_AGREEMENTS,
  DEMO_HOSPITALS,
  DEMO_SCHOOLS,
  type DemoInstitution,
  demoId,
  type DemoNetworkSummary,
  demoStudents,
} from '@medcollab/demo-world';
import { type EntityManager } from 'typeorm';
import { projectAgreementActivated, projectAgreementEnded, projectStudent } from '@medcollab/projections';

/**
 * The network events the demo curriculum depends on, rebuilt from the network's deterministic
 * demo catalogue (its code, never its database) and applied through the consumer's own
 * handlers, so the demo works before the worker has caught up. When the real events arrive,
 * the handlers find the same rows (idempotent upserts keyed by id) and change nothing.
 */

const institutionId = (key: string) => demoId(`institution:${key}`);
const departmentId = (institutionKey: string, key: string) => demoId(`department:${institutionKey}/${key}`);

/** A student of the first demo school, as StudentRegistered describes them. */
export interface DemoStudentFeed {
  studentId: string;
  schoolId: string;
  email: string;
  cohortYear: number;
  priorClinicalYears: number;
}

export const FIRST_SCHOOL = DEMO_SCHOOLS[0] as DemoInstitution;

export function firstSchoolStudents(): DemoStudentFeed[] {
  return demoStudents(FIRST_SCHOOL, 0).map((s) => ({
    studentId: demoId(`student:${s.key}`),
    schoolId: institutionId(FIRST_SCHOOL.key),
    email: s.email,
    cohortYear: s.cohortYear,
    priorClinicalYears: s.priorClinicalYears,
  }));
}

/**
 * The ids rebuilt here must be the network's own: checked against its summary so that a change
 * of the network's id scheme fails loudly instead of feeding ghosts.
 */
export function checkAgainstSummary(network: DemoNetworkSummary): void {
  const school = network.schools.find((s) => s.name === FIRST_SCHOOL.name);
  const students = firstSchoolStudents();
  const consistent =
    school?.id === institutionId(FIRST_SCHOOL.key) &&
    network.institutionAdmin.institutionId === school.id &&
    students.some((s) => s.studentId === network.student.id);
  if (!consistent) {
    throw new Error(
      'The demo network summary does not match the ids the curriculum derives from the network demo catalogue; update seed/demo-network-feed.ts',
    );
  }
}

/** Applies StudentRegistered for the first school's students and the agreement events of every demo agreement. */
export async function feedDemoNetworkEvents(em: EntityManager): Promise<void> {
  for (const student of firstSchoolStudents()) await projectStudent(em, student);
  for (const a of DEMO_AGREEMENTS) {
    if (a.finalStatus === 'PROPOSED') continue;
    const hospital = DEMO_HOSPITALS.find((h) => h.key === a.hospital) as DemoInstitution;
    const keys = a.departments === '*' ? hospital.departments.map((d) => d.key) : a.departments;
    const agreement = {
      agreementId: demoId(`agreement:${a.key}`),
      schoolId: institutionId(a.school),
      hospitalId: institutionId(a.hospital),
    };
    await projectAgreementActivated(em, {
      ...agreement,
      departmentIds: keys.map((k) => departmentId(a.hospital, k)),
      startsOn: a.startsOn,
      endsOn: a.endsOn,
    });
    if (a.finalStatus === 'ENDED') await projectAgreementEnded(em, { ...agreement, endedOn: a.endedOn ?? a.endsOn });
  }
}
