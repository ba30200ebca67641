import { randomUUID } from 'node:crypto';
import { BadUserInputError, SqlConditions } from '@medcollab/kit';
import { StudentRegistered } from '@medcollab/events';
import { type DataSource, type EntityManager } from 'typeorm';
import { type ListScope } from '../domain/access-policy';
import { type RegisterStudentInput, type StudentFilter } from '../domain/validation';
import { Student } from '../entities';
import { type EventMeta, outbox } from '../outbox';
import { claimEmail } from './emails';
import { claimPersonSourcedId } from './sourced-ids';
import { type CreateOptions, requireInstitution } from './institutions';
import { applyScope, applySearch, emptyConnection, fetchPersonPage, type LazyConnection } from './name-page';

/** Registers a student at a school and records StudentRegistered in the same transaction. */
export async function registerStudent(
  em: EntityManager,
  input: RegisterStudentInput,
  meta: EventMeta,
  opts: CreateOptions = {},
): Promise<Student> {
  const school = await requireInstitution(em, input.schoolId, 'schoolId');
  if (school.kind !== 'SCHOOL')
    throw new BadUserInputError('Students are registered at a SCHOOL; schoolId names a hospital', { field: 'schoolId' });
  await claimEmail(em, input.email);
  if (input.sourcedId) await claimPersonSourcedId(em, input.schoolId, input.sourcedId);
  const student = await em.getRepository(Student).save(em.getRepository(Student).create({ id: opts.id ?? randomUUID(), ...input }));
  await outbox.append(
    em,
    StudentRegistered,
    student.id,
    {
      studentId: student.id,
      schoolId: student.schoolId,
      email: student.email,
      cohortYear: student.cohortYear,
      priorClinicalYears: student.priorClinicalYears,
      givenName: student.givenName,
      familyName: student.familyName,
    },
    meta,
  );
  return student;
}

/** One page of the students the scope allows, narrowed by the filter. */
export function listStudents(
  ds: DataSource,
  scope: ListScope,
  filter: StudentFilter,
  page: { limit: number; afterKey: string | null },
): Promise<LazyConnection<Student>> {
  if (scope.kind === 'nothing') return Promise.resolve(emptyConnection());
  const where = new SqlConditions();
  applyScope(where, 'school_id', scope);
  const { institutionId, cohortYear } = filter;
  if (institutionId) where.and((p) => `school_id = ${p(institutionId)}`);
  if (cohortYear !== null) where.and((p) => `cohort_year = ${p(cohortYear)}`);
  applySearch(where, filter.search);
  return fetchPersonPage(ds, Student, where, page);
}
