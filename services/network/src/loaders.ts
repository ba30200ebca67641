import DataLoader from 'dataloader';
import { loaderById, loaderByParent, plainRowReader } from '@medcollab/kit';
import { type DataSource } from 'typeorm';
import { departmentPageLoaders, type DepartmentPageLoaders } from './data/department-pages';
import { type HospitalGrant } from './domain/access-policy';
import { isUuid } from './domain/validation';
import { CollaborationAgreement, Department, Institution, StaffMember, Student } from './entities';

/**
 * Per-request batch loaders: every id asked for in one tick becomes one SQL statement, so
 * nested fields and `_entities` cost a constant number of queries, not one per row.
 */
export interface NetworkLoaders {
  institution: DataLoader<string, Institution | null>;
  department: DataLoader<string, Department | null>;
  student: DataLoader<string, Student | null>;
  staffMember: DataLoader<string, StaffMember | null>;
  agreement: DataLoader<string, CollaborationAgreement | null>;
  departmentsByInstitution: DataLoader<string, Department[]>;
  departmentsByAgreement: DataLoader<string, Department[]>;
  /** Pages of an institution's departments and their counts (`Institution.departmentsPage`). */
  departmentPagesOfInstitution: DepartmentPageLoaders;
  /** Pages of the departments an agreement covers and their counts (`CollaborationAgreement.departmentsPage`). */
  departmentPagesOfAgreement: DepartmentPageLoaders;
  /**
   * The live access grants for a student, by student id: hospitals holding a placement grant
   * (from rotations' events) and mentors holding a mentor grant (from mentorship's events).
   */
  accessGrantsByStudent: DataLoader<string, StudentAccessGrants>;
}

export interface StudentAccessGrants {
  hospitals: HospitalGrant[];
  mentorIds: string[];
}

/** Malformed ids can match nothing; dropping them keeps PostgreSQL from rejecting the batch. */
const wellFormed = (ids: readonly string[]): string[] => ids.filter(isUuid);

/**
 * Read in plain SQL (the kit's plainRowReader, ADR 0036): the statement TypeORM's `findBy` sent,
 * without rebuilding it and transforming rows on every request.
 */
function byId<T extends { id: string }>(ds: DataSource, entity: new () => T): DataLoader<string, T | null> {
  return loaderById<T>(async (ids) => {
    const valid = wellFormed(ids);
    return valid.length ? plainRowReader(ds, entity).by('id', valid) : [];
  });
}

export function createLoaders(ds: DataSource): NetworkLoaders {
  return {
    institution: byId(ds, Institution),
    department: byId(ds, Department),
    student: byId(ds, Student),
    staffMember: byId(ds, StaffMember),
    agreement: byId(ds, CollaborationAgreement),
    departmentsByInstitution: loaderByParent(
      async (ids) => {
        const valid = wellFormed(ids);
        return valid.length ? plainRowReader(ds, Department).by('institutionId', valid, { order: { name: 'ASC' } }) : [];
      },
      (d) => d.institutionId,
    ),
    departmentsByAgreement: new DataLoader<string, Department[]>(async (ids) => {
      const valid = wellFormed(ids);
      // One statement: the link rows joined to their departments, in plain SQL (ADR 0036).
      const links = valid.length
        ? await plainRowReader(ds, Department).keyed(
            'agreement_department l JOIN department t ON t.id = l.department_id',
            'l.agreement_id',
            'l.agreement_id = ANY($1::uuid[])',
            [valid],
          )
        : [];
      const groups = new Map<string, Department[]>();
      for (const { key, row } of links) {
        const group = groups.get(key);
        if (group) group.push(row);
        else groups.set(key, [row]);
      }
      return ids.map((id) => (groups.get(id) ?? []).sort((a, b) => a.name.localeCompare(b.name)));
    }),
    departmentPagesOfInstitution: departmentPageLoaders(ds, 'institution'),
    departmentPagesOfAgreement: departmentPageLoaders(ds, 'agreement'),
    accessGrantsByStudent: new DataLoader<string, StudentAccessGrants>(async (ids) => {
      const valid = wellFormed(ids);
      // One statement for both kinds of grant.
      const rows = valid.length
        ? ((await ds.query(
            `SELECT 'hospital' AS kind, student_id, hospital_id AS holder_id, department_id, supervisor_id FROM hospital_access_grant
              WHERE student_id = ANY($1::uuid[]) AND (valid_until IS NULL OR valid_until > now())
             UNION ALL
             SELECT 'mentor' AS kind, student_id, mentor_id AS holder_id, NULL, NULL FROM mentor_access_grant
              WHERE student_id = ANY($1::uuid[])`,
            [valid],
          )) as {
            kind: 'hospital' | 'mentor';
            student_id: string;
            holder_id: string;
            department_id: string | null;
            supervisor_id: string | null;
          }[])
        : [];
      // One pass over the rows (a page of 111 students has ~700 grants: filtering them per student was quadratic).
      const grants = new Map<string, StudentAccessGrants>();
      for (const id of ids) grants.set(id, { hospitals: [], mentorIds: [] });
      for (const r of rows) {
        const own = grants.get(r.student_id);
        if (!own) continue;
        if (r.kind === 'hospital')
          own.hospitals.push({ hospitalId: r.holder_id, departmentId: r.department_id, supervisorId: r.supervisor_id });
        else own.mentorIds.push(r.holder_id);
      }
      return ids.map((id) => grants.get(id)!);
    }),
  };
}
