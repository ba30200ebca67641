import { randomUUID } from 'node:crypto';
import { BadUserInputError, SqlConditions } from '@medcollab/kit';
import { StaffRegistered } from '@medcollab/events';
import { type DataSource, type EntityManager } from 'typeorm';
import { type ListScope } from '../domain/access-policy';
import { type RegisterStaffMemberInput, type StaffFilter } from '../domain/validation';
import { Department, StaffMember } from '../entities';
import { type EventMeta, outbox } from '../outbox';
import { claimEmail } from './emails';
import { claimPersonSourcedId } from './sourced-ids';
import { type CreateOptions, requireInstitution } from './institutions';
import { applyScope, applySearch, emptyConnection, fetchPersonPage, type LazyConnection } from './name-page';

/** Registers a staff member and records StaffRegistered in the same transaction. */
export async function registerStaffMember(
  em: EntityManager,
  input: RegisterStaffMemberInput,
  meta: EventMeta,
  opts: CreateOptions = {},
): Promise<StaffMember> {
  await requireInstitution(em, input.institutionId, 'institutionId');
  if (input.departmentId) {
    const department = await em.getRepository(Department).findOneBy({ id: input.departmentId });
    if (department?.institutionId !== input.institutionId) {
      throw new BadUserInputError("departmentId must name a department of the staff member's institution", { field: 'departmentId' });
    }
  }
  await claimEmail(em, input.email);
  if (input.sourcedId) await claimPersonSourcedId(em, input.institutionId, input.sourcedId);
  const staff = await em.getRepository(StaffMember).save(em.getRepository(StaffMember).create({ id: opts.id ?? randomUUID(), ...input }));
  await outbox.append(
    em,
    StaffRegistered,
    staff.id,
    {
      staffId: staff.id,
      institutionId: staff.institutionId,
      departmentId: staff.departmentId,
      roles: staff.roles,
      givenName: staff.givenName,
      familyName: staff.familyName,
      email: staff.email,
    },
    meta,
  );
  return staff;
}

/** One page of the staff the scope allows, narrowed by the filter. */
export function listStaff(
  ds: DataSource,
  scope: ListScope,
  filter: StaffFilter,
  page: { limit: number; afterKey: string | null },
): Promise<LazyConnection<StaffMember>> {
  if (scope.kind === 'nothing') return Promise.resolve(emptyConnection());
  const where = new SqlConditions();
  applyScope(where, 'institution_id', scope);
  const { institutionId, departmentId, role } = filter;
  if (institutionId) where.and((p) => `institution_id = ${p(institutionId)}`);
  if (departmentId) where.and((p) => `department_id = ${p(departmentId)}`);
  if (role) where.and((p) => `${p(role)} = ANY (roles)`);
  applySearch(where, filter.search);
  return fetchPersonPage(ds, StaffMember, where, page);
}
