import { BadUserInputError, NotFoundError, type Role } from '@medcollab/kit';
import { StaffStatusChanged, StaffUpdated, StudentStatusChanged, StudentUpdated } from '@medcollab/events';
import { type EntityManager } from 'typeorm';
import { changedFields } from '../domain/lifecycle';
import { type PersonStatus } from '../domain/model';
import { Department, StaffMember, Student } from '../entities';
import { type EventMeta, outbox } from '../outbox';
import { claimEmail } from './emails';
import { claimPersonSourcedId } from './sourced-ids';

/**
 * Changes to people after registration, each in the caller's transaction with its event.
 * Every function writes and emits only when something really changes, so re-sending the same
 * values (an API retry, a re-imported roster) is a no-op without events.
 */

export type StudentPatch = Partial<Pick<Student, 'givenName' | 'familyName' | 'email' | 'cohortYear' | 'priorClinicalYears' | 'sourcedId'>>;
export type StaffPatch = Partial<Pick<StaffMember, 'givenName' | 'familyName' | 'email' | 'departmentId' | 'sourcedId' | 'roles'>>;

/** The row, locked for the rest of the transaction so two changes to one person queue up. */
export async function lockStudent(em: EntityManager, id: string): Promise<Student> {
  const student = await em.getRepository(Student).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  if (!student) throw new NotFoundError('Student (id)', id);
  return student;
}

export async function lockStaffMember(em: EntityManager, id: string): Promise<StaffMember> {
  const staff = await em.getRepository(StaffMember).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  if (!staff) throw new NotFoundError('Staff member (id)', id);
  return staff;
}

export async function updateStudent(em: EntityManager, student: Student, patch: StudentPatch, meta: EventMeta): Promise<Student> {
  const changed = changedFields(student, patch);
  if (!changed.length) return student;
  if (changed.includes('email')) await claimEmail(em, patch.email as string);
  if (changed.includes('sourcedId')) await claimPersonSourcedId(em, student.schoolId, patch.sourcedId as string, student.id);
  for (const key of changed) Object.assign(student, { [key]: patch[key] });
  await em.getRepository(Student).update({ id: student.id }, Object.fromEntries(changed.map((k) => [k, patch[k]])));
  await outbox.append(
    em,
    StudentUpdated,
    student.id,
    {
      studentId: student.id,
      schoolId: student.schoolId,
      email: student.email,
      cohortYear: student.cohortYear,
      priorClinicalYears: student.priorClinicalYears,
      sourcedId: student.sourcedId,
      changed,
      givenName: student.givenName,
      familyName: student.familyName,
    },
    meta,
  );
  return student;
}

export async function updateStaffMember(em: EntityManager, staff: StaffMember, patch: StaffPatch, meta: EventMeta): Promise<StaffMember> {
  const changed = changedFields(staff, patch);
  if (!changed.length) return staff;
  if (changed.includes('email')) await claimEmail(em, patch.email as string);
  if (changed.includes('sourcedId')) await claimPersonSourcedId(em, staff.institutionId, patch.sourcedId as string, staff.id);
  if (changed.includes('departmentId') && patch.departmentId) {
    const department = await em.getRepository(Department).findOneBy({ id: patch.departmentId });
    if (department?.institutionId !== staff.institutionId)
      throw new BadUserInputError("departmentId must name a department of the staff member's institution", { field: 'departmentId' });
  }
  for (const key of changed) Object.assign(staff, { [key]: patch[key] });
  await em.getRepository(StaffMember).update({ id: staff.id }, Object.fromEntries(changed.map((k) => [k, patch[k]])));
  await outbox.append(
    em,
    StaffUpdated,
    staff.id,
    {
      staffId: staff.id,
      institutionId: staff.institutionId,
      departmentId: staff.departmentId,
      roles: staff.roles as Role[],
      sourcedId: staff.sourcedId,
      changed,
      givenName: staff.givenName,
      familyName: staff.familyName,
      email: staff.email,
    },
    meta,
  );
  return staff;
}

/**
 * Ends what a deactivated person may no longer hold in the network, in the deactivation's
 * transaction: a student's hospital access grants stop at the deactivation (kept as history)
 * and their mentors' access grants go; a staff member's mentor access grants go. Reactivation
 * restores none of them: a new placement or mentorship grants access again. Grant events that
 * arrive later cannot reopen them (src/projections).
 */
async function endGrantsOfStudent(em: EntityManager, studentId: string, at: Date): Promise<void> {
  await em.query(
    `UPDATE hospital_access_grant SET valid_until = $2, updated_at = now()
      WHERE student_id = $1 AND (valid_until IS NULL OR valid_until > $2)`,
    [studentId, at],
  );
  await em.query(`DELETE FROM mentor_access_grant WHERE student_id = $1`, [studentId]);
}

async function endGrantsOfStaff(em: EntityManager, staffId: string): Promise<void> {
  await em.query(`DELETE FROM mentor_access_grant WHERE mentor_id = $1`, [staffId]);
}

/** Deactivates or reactivates; already in that status: nothing changes and no event. */
export async function setStudentStatus(em: EntityManager, student: Student, status: PersonStatus, reason: string, meta: EventMeta) {
  if (student.status === status) return student;
  Object.assign(student, { status, statusReason: reason, statusChangedAt: new Date() });
  await em.getRepository(Student).update({ id: student.id }, { status, statusReason: reason, statusChangedAt: student.statusChangedAt });
  if (status !== 'ACTIVE') await endGrantsOfStudent(em, student.id, student.statusChangedAt as Date);
  await outbox.append(
    em,
    StudentStatusChanged,
    student.id,
    { studentId: student.id, schoolId: student.schoolId, active: status === 'ACTIVE', reason },
    meta,
  );
  return student;
}

export async function setStaffStatus(em: EntityManager, staff: StaffMember, status: PersonStatus, reason: string, meta: EventMeta) {
  if (staff.status === status) return staff;
  Object.assign(staff, { status, statusReason: reason, statusChangedAt: new Date() });
  await em.getRepository(StaffMember).update({ id: staff.id }, { status, statusReason: reason, statusChangedAt: staff.statusChangedAt });
  if (status !== 'ACTIVE') await endGrantsOfStaff(em, staff.id);
  await outbox.append(
    em,
    StaffStatusChanged,
    staff.id,
    { staffId: staff.id, institutionId: staff.institutionId, active: status === 'ACTIVE', reason },
    meta,
  );
  return staff;
}
