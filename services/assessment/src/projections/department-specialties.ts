import { type AgreementActivated, type PayloadOf } from '@medcollab/events';
import { type EntityManager } from 'typeorm';

/**
 * The departments' specialties an agreement's activation lists (ADR 0031): the link from a
 * placement's department to the module of the student's program it belongs to. Upserted: a
 * department's specialty is the network's, whichever agreement told it last.
 */
export async function projectDepartmentSpecialties(em: EntityManager, p: PayloadOf<typeof AgreementActivated>): Promise<void> {
  const known = (p.departmentSpecialties ?? []).filter((d) => d.specialty !== null);
  if (!known.length) return;
  await em.query(
    `INSERT INTO known_department_specialty (department_id, specialty)
     SELECT d.department_id, d.specialty FROM jsonb_to_recordset($1::jsonb) AS d(department_id uuid, specialty text)
     ON CONFLICT (department_id) DO UPDATE SET specialty = EXCLUDED.specialty`,
    [JSON.stringify(known.map((d) => ({ department_id: d.departmentId, specialty: d.specialty })))],
  );
}
