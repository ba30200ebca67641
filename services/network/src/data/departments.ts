import { randomUUID } from 'node:crypto';
import { ConflictError } from '@medcollab/kit';
import { type EntityManager } from 'typeorm';
import { type CreateDepartmentInput } from '../domain/validation';
import { Department } from '../entities';
import { DepartmentCreated } from '@medcollab/events';
import { outbox } from '../outbox';
import { type CreateOptions, requireInstitution } from './institutions';

export async function createDepartment(em: EntityManager, input: CreateDepartmentInput, opts: CreateOptions = {}): Promise<Department> {
  await requireInstitution(em, input.institutionId, 'institutionId');
  const existing = await em
    .getRepository(Department)
    .createQueryBuilder('d')
    .where('d.institution_id = :institutionId AND lower(d.name) = lower(:name)', input)
    .getExists();
  if (existing) throw new ConflictError(`This institution already has a department named "${input.name}"`, { field: 'name' });
  if (input.sourcedId) {
    const holder = await em.getRepository(Department).findOneBy({ institutionId: input.institutionId, sourcedId: input.sourcedId });
    if (holder)
      throw new ConflictError(`sourcedId "${input.sourcedId}" already names the department ${holder.name}`, { field: 'sourcedId' });
  }
  const department = await em
    .getRepository(Department)
    .save(em.getRepository(Department).create({ id: opts.id ?? randomUUID(), ...input }));
  await outbox.append(
    em,
    DepartmentCreated,
    department.id,
    { departmentId: department.id, institutionId: department.institutionId, name: department.name },
    opts.meta,
  );
  return department;
}
