import { randomUUID } from 'node:crypto';
import { type Role } from '@medcollab/kit';
import { StaffRegistered, StudentRegistered } from '@medcollab/events';
import { type DataSource, type EntityManager } from 'typeorm';
import { lockStaffMember, lockStudent, setStaffStatus, setStudentStatus, updateStaffMember, updateStudent } from '../data/people';
import { changedFields } from '../domain/lifecycle';
import { Department, Institution } from '../entities';
import { type EventMeta, outbox } from '../outbox';
import { type RosterContext } from './model';
import { recordStudentChange, type RosterAuditLog } from './audit';
import { type Existing, type ExistingPerson, type RosterOp } from './plan';

/** The institution and the network's other orgs, for reading the files. */
export async function loadRosterContext(ds: DataSource, institutionId: string, now: Date): Promise<RosterContext> {
  const institution = await ds.getRepository(Institution).findOneByOrFail({ id: institutionId });
  const foreign: { sourced_id: string; name: string }[] = await ds.query(
    `SELECT sourced_id, name FROM institution WHERE id <> $1 AND sourced_id IS NOT NULL`,
    [institutionId],
  );
  return {
    institution: { id: institution.id, name: institution.name, kind: institution.kind, sourcedId: institution.sourcedId },
    foreignOrgs: new Map(foreign.map((f) => [f.sourced_id, f.name])),
    currentYear: now.getUTCFullYear(),
  };
}

/** The institution's departments and people, and who elsewhere holds the files' emails: three statements. */
export async function loadExisting(ds: DataSource, institutionId: string, emails: string[]): Promise<Existing> {
  const departments: Existing['departments'] = await ds.query(
    `SELECT id, sourced_id AS "sourcedId", name FROM department WHERE institution_id = $1`,
    [institutionId],
  );
  const people: ExistingPerson[] = await ds.query(
    `SELECT 'student' AS kind, id, sourced_id AS "sourcedId", given_name AS "givenName", family_name AS "familyName", lower(email) AS email,
            cohort_year AS "cohortYear", prior_clinical_years AS "priorClinicalYears", '{}'::text[] AS roles, NULL::uuid AS "departmentId", status
       FROM student WHERE school_id = $1
     UNION ALL
     SELECT 'staff', id, sourced_id, given_name, family_name, lower(email), NULL, NULL, roles, department_id, status
       FROM staff_member WHERE institution_id = $1`,
    [institutionId],
  );
  const foreign: { email: string; label: string }[] = await ds.query(
    `SELECT lower(p.email) AS email, p.given_name || ' ' || p.family_name || ' (' || i.name || ')' AS label
       FROM (SELECT email, given_name, family_name, school_id AS institution_id FROM student
             UNION ALL SELECT email, given_name, family_name, institution_id FROM staff_member) p
       JOIN institution i ON i.id = p.institution_id
      WHERE p.institution_id <> $1 AND lower(p.email) = ANY($2::text[])`,
    [institutionId, emails],
  );
  return { departments, people, foreignEmails: new Map(foreign.map((f) => [f.email, f.label])) };
}

export interface ApplyState {
  institutionId: string;
  meta: EventMeta;
  /** Department sourcedId → id, filled as departments are created. */
  departmentIds: Map<string, string>;
  /** Student changes for the audit trail, written in the same transaction (./audit.ts). */
  audit: RosterAuditLog;
}

export async function departmentIdsOf(ds: DataSource | EntityManager, institutionId: string): Promise<Map<string, string>> {
  const rows: { id: string; sourced_id: string }[] = await ds.query(
    `SELECT id, sourced_id FROM department WHERE institution_id = $1 AND sourced_id IS NOT NULL`,
    [institutionId],
  );
  return new Map(rows.map((r) => [r.sourced_id, r.id]));
}

/** Sets the institution's own org id the first time its files name it. */
export async function claimInstitutionSourcedId(em: EntityManager, institutionId: string, sourcedId: string): Promise<void> {
  await em.query(`UPDATE institution SET sourced_id = $2 WHERE id = $1 AND sourced_id IS NULL`, [institutionId, sourcedId]);
}

/**
 * New people in multi-row INSERTs (a thousand per statement), with their Registered events in bulk.
 * The files' ids and emails were checked against the database while planning; a concurrent
 * registration of the same email still trips the unique index and fails the whole batch.
 */
export async function insertPeople(
  em: EntityManager,
  ops: Extract<RosterOp, { type: 'createPerson' }>[],
  state: ApplyState,
): Promise<void> {
  for (let i = 0; i < ops.length; i += 1000) {
    const chunk = ops.slice(i, i + 1000).map((op) => ({ id: randomUUID(), p: op.person }));
    const students = chunk.filter((c) => c.p.kind === 'student');
    const staff = chunk.filter((c) => c.p.kind === 'staff');
    if (students.length)
      await em.query(
        `INSERT INTO student (id, school_id, given_name, family_name, email, cohort_year, prior_clinical_years, sourced_id)
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::int[], $7::int[], $8::text[])`,
        [
          students.map((s) => s.id),
          students.map(() => state.institutionId),
          students.map((s) => s.p.givenName),
          students.map((s) => s.p.familyName),
          students.map((s) => s.p.email),
          students.map((s) => s.p.cohortYear),
          students.map((s) => s.p.priorClinicalYears ?? 0),
          students.map((s) => s.p.sourcedId),
        ],
      );
    for (const s of students)
      recordStudentChange(state.audit, s.id, state.institutionId, 'registerStudent', [
        'cohortYear',
        'email',
        'familyName',
        'givenName',
        'priorClinicalYears',
        'sourcedId',
      ]);
    if (staff.length)
      await em.query(
        `INSERT INTO staff_member (id, institution_id, department_id, given_name, family_name, email, roles, sourced_id)
         SELECT u.id, u.institution_id, u.department_id, u.given_name, u.family_name, u.email, string_to_array(u.roles, ','), u.sourced_id
           FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
             AS u(id, institution_id, department_id, given_name, family_name, email, roles, sourced_id)`,
        [
          staff.map((s) => s.id),
          staff.map(() => state.institutionId),
          staff.map((s) => (s.p.departmentSourcedId ? (state.departmentIds.get(s.p.departmentSourcedId) ?? null) : null)),
          staff.map((s) => s.p.givenName),
          staff.map((s) => s.p.familyName),
          staff.map((s) => s.p.email),
          staff.map((s) => s.p.roles.join(',')),
          staff.map((s) => s.p.sourcedId),
        ],
      );
    await outbox.appendMany(
      em,
      StudentRegistered,
      students.map((s) => ({
        aggregateId: s.id,
        payload: {
          studentId: s.id,
          schoolId: state.institutionId,
          email: s.p.email,
          cohortYear: s.p.cohortYear as number,
          priorClinicalYears: s.p.priorClinicalYears ?? 0,
        },
      })),
      state.meta,
    );
    await outbox.appendMany(
      em,
      StaffRegistered,
      staff.map((s) => ({
        aggregateId: s.id,
        payload: {
          staffId: s.id,
          institutionId: state.institutionId,
          departmentId: s.p.departmentSourcedId ? (state.departmentIds.get(s.p.departmentSourcedId) ?? null) : null,
          roles: s.p.roles,
        },
      })),
      state.meta,
    );
  }
}

/** One op other than a person's creation, in the caller's transaction. */
export async function applyOp(em: EntityManager, op: RosterOp, state: ApplyState): Promise<void> {
  switch (op.type) {
    case 'createDepartment': {
      const id = randomUUID();
      await em
        .getRepository(Department)
        .insert({ id, institutionId: state.institutionId, name: op.name, specialty: null, sourcedId: op.sourcedId });
      state.departmentIds.set(op.sourcedId, id);
      return;
    }
    case 'updateDepartment':
      await em.getRepository(Department).update({ id: op.id }, { name: op.name, sourcedId: op.sourcedId });
      state.departmentIds.set(op.sourcedId, op.id);
      return;
    case 'createPerson':
      return insertPeople(em, [op], state);
    case 'updatePerson': {
      const { departmentSourcedId, ...rest } = op.patch;
      if (op.kind === 'student') {
        const student = await lockStudent(em, op.id);
        const changed = changedFields(student, rest); // what really changes under the lock
        await updateStudent(em, student, rest, state.meta);
        if (changed.length) recordStudentChange(state.audit, student.id, student.schoolId, 'updateStudent', changed);
        return;
      }
      const departmentId =
        departmentSourcedId === undefined
          ? {}
          : { departmentId: departmentSourcedId ? (state.departmentIds.get(departmentSourcedId) ?? null) : null };
      await updateStaffMember(
        em,
        await lockStaffMember(em, op.id),
        { ...rest, roles: rest.roles as Role[] | undefined, ...departmentId },
        state.meta,
      );
      return;
    }
    case 'setStatus':
      if (op.kind === 'student') {
        const student = await lockStudent(em, op.id);
        const changes = student.status !== op.status;
        await setStudentStatus(em, student, op.status, op.reason, state.meta);
        const change = op.status === 'INACTIVE' ? 'deactivateStudent' : 'reactivateStudent';
        if (changes) recordStudentChange(state.audit, student.id, student.schoolId, change, ['status'], op.reason);
      } else await setStaffStatus(em, await lockStaffMember(em, op.id), op.status, op.reason, state.meta);
      return;
  }
}
