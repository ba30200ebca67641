import { randomUUID } from 'node:crypto';
import { BadUserInputError } from '@medcollab/kit';
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
  const qb = ds.getRepository(StaffMember).createQueryBuilder('m');
  applyScope(qb, 'm', 'institution_id', scope);
  if (filter.institutionId) qb.andWhere('m.institution_id = :institutionId', { institutionId: filter.institutionId });
  if (filter.departmentId) qb.andWhere('m.department_id = :departmentId', { departmentId: filter.departmentId });
  if (filter.role) qb.andWhere(':role = ANY (m.roles)', { role: filter.role });
  applySearch(qb, 'm', filter.search);
  return fetchPersonPage(qb, 'm', page);
}
