import { bulkInsert, type Queryable } from './bulk';
import { type ScaleWorld } from './world';

/** The network facts a consuming service keeps (the tables of @medcollab/projections). */
export type NetworkFactTable = 'known_student' | 'known_staff' | 'known_agreement';

/**
 * Writes the network facts of a generated world into a consuming service's projection tables,
 * with every column of the shared projections (the same rows the network's events would give):
 * one loader for curriculum, rotations, assessment and mentorship, which keep the same tables.
 * Returns the rows written per table.
 */
export async function loadKnownNetworkFacts(
  em: Queryable,
  world: ScaleWorld,
  tables: readonly NetworkFactTable[],
): Promise<Partial<Record<NetworkFactTable, number>>> {
  const counts: Partial<Record<NetworkFactTable, number>> = {};
  if (tables.includes('known_student')) {
    counts.known_student = await bulkInsert(
      em,
      'known_student',
      [
        ['id', 'uuid'],
        ['school_id', 'uuid'],
        ['cohort_year', 'int'],
        ['prior_clinical_years', 'int'],
        ['given_name', 'text'],
        ['family_name', 'text'],
      ],
      world.students.map((s) => [s.id, s.schoolId, s.cohortYear, s.priorClinicalYears, s.givenName, s.familyName]),
    );
  }
  if (tables.includes('known_staff')) {
    counts.known_staff = await bulkInsert(
      em,
      'known_staff',
      [
        ['id', 'uuid'],
        ['institution_id', 'uuid'],
        ['department_id', 'uuid'],
        ['roles', 'text[]'],
        ['given_name', 'text'],
        ['family_name', 'text'],
      ],
      world.staff.map((s) => [s.id, s.institutionId, s.departmentId, s.roles, s.givenName, s.familyName]),
    );
  }
  if (tables.includes('known_agreement')) {
    counts.known_agreement = await bulkInsert(
      em,
      'known_agreement',
      [
        ['id', 'uuid'],
        ['school_id', 'uuid'],
        ['hospital_id', 'uuid'],
        ['status', 'text'],
        ['starts_on', 'date'],
        ['ends_on', 'date'],
        ['department_ids', 'uuid[]'],
      ],
      world.agreements.map((a) => [a.id, a.schoolId, a.hospitalId, 'ACTIVE', a.startsOn, a.endsOn, a.departmentIds]),
    );
  }
  return counts;
}
