import { NotFoundError } from '@medcollab/kit';
import { type DataSource, type EntityManager } from 'typeorm';
import { type KnownAgreementTerms } from '../domain/agreement-rules';
import { KnownAgreement, KnownDepartment, KnownStaff, KnownStudent } from '../entities';

/** Reads of the network projections inside a command's transaction. */

type Db = EntityManager | DataSource;

/** A student rotations has heard of (StudentRegistered), or NOT_FOUND. */
export async function requireKnownStudent(em: Db, id: string): Promise<KnownStudent> {
  const student = await em.getRepository(KnownStudent).findOneBy({ id });
  if (!student) throw new NotFoundError('Student', id);
  return student;
}

export const findKnownStaff = (em: Db, id: string): Promise<KnownStaff | null> => em.getRepository(KnownStaff).findOneBy({ id });

export const findKnownDepartment = (em: Db, id: string): Promise<KnownDepartment | null> =>
  em.getRepository(KnownDepartment).findOneBy({ id });

/** The agreements (active or ended) between a school and any hospital that name the department. */
export async function agreementsForDepartment(em: Db, schoolId: string, departmentId: string): Promise<KnownAgreementTerms[]> {
  const rows = await em
    .getRepository(KnownAgreement)
    .createQueryBuilder('a')
    .where('a.school_id = :schoolId', { schoolId })
    .andWhere(':departmentId = ANY (a.department_ids)', { departmentId })
    .getMany();
  // Rotations' table has always kept the dates (NOT NULL); the shared entity allows null for services that did not.
  return rows.flatMap((a) => (a.startsOn && a.endsOn ? [{ ...a, startsOn: a.startsOn, endsOn: a.endsOn }] : []));
}
