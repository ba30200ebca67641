import { randomUUID } from 'node:crypto';
import { type DataSource, type EntityManager } from 'typeorm';
import { NotFoundError } from '@medcollab/kit';
import { type SetRotationPrecedenceInput, type SetRotationRequirementGroupInput } from '../domain/validation';
import { RotationPrecedence, RotationRequirementGroup } from '../entities';

/**
 * Requirement groups and precedences of a program (or track), set by the school's planners and
 * read into allocation snapshots (`allocation/snapshot.ts`). Programs and tracks are the
 * curriculum's; their ids are stored as given.
 */

const ANY_TRACK = '*';

/** Sets (or replaces, by label within the program and track) a requirement group. */
export async function setRequirementGroup(
  em: EntityManager,
  input: SetRotationRequirementGroupInput,
  actorId: string,
  now: Date,
): Promise<RotationRequirementGroup> {
  const repo = em.getRepository(RotationRequirementGroup);
  await em.query(`SELECT pg_advisory_xact_lock(hashtext('rotations.requirement_group'), hashtext($1))`, [
    `${input.programId}:${input.trackId ?? ANY_TRACK}:${input.label.toLowerCase()}`,
  ]);
  const existing = await repo
    .createQueryBuilder('g')
    .where('g.program_id = :programId AND lower(g.label) = lower(:label)', input)
    .andWhere(input.trackId ? 'g.track_id = :trackId' : 'g.track_id IS NULL', { trackId: input.trackId })
    .getOne();
  const values = { ...input, updatedBy: actorId, updatedAt: now };
  if (existing) {
    await repo.update({ id: existing.id }, values);
    return repo.findOneByOrFail({ id: existing.id });
  }
  const created = repo.create({ id: randomUUID(), ...values });
  await repo.insert(created);
  return created;
}

/** Sets a precedence (idempotent: setting the same pair again only records who and when). */
export async function setPrecedence(
  em: EntityManager,
  input: SetRotationPrecedenceInput,
  actorId: string,
  now: Date,
): Promise<RotationPrecedence> {
  const repo = em.getRepository(RotationPrecedence);
  await em.query(`SELECT pg_advisory_xact_lock(hashtext('rotations.precedence'), hashtext($1))`, [
    `${input.programId}:${input.trackId ?? ANY_TRACK}:${input.before}:${input.after}`,
  ]);
  const existing = await repo
    .createQueryBuilder('p')
    .where('p.program_id = :programId AND p.before_specialty = :before AND p.after_specialty = :after', input)
    .andWhere(input.trackId ? 'p.track_id = :trackId' : 'p.track_id IS NULL', { trackId: input.trackId })
    .getOne();
  const values = { ...input, updatedBy: actorId, updatedAt: now };
  if (existing) {
    await repo.update({ id: existing.id }, values);
    return repo.findOneByOrFail({ id: existing.id });
  }
  const created = repo.create({ id: randomUUID(), ...values });
  await repo.insert(created);
  return created;
}

/** Removes one row after `authorize` has judged its school; NOT_FOUND when there is none. */
export async function removeRequirementRule<T extends RotationRequirementGroup | RotationPrecedence>(
  em: EntityManager,
  entity: new () => T,
  id: string,
  authorize: (row: T) => void,
): Promise<string> {
  const repo = em.getRepository(entity);
  const row = (await repo.createQueryBuilder('r').setLock('pessimistic_write').where('r.id = :id', { id }).getOne()) as T | null;
  if (!row) throw new NotFoundError('No such rule');
  authorize(row);
  await repo.delete(id);
  return id;
}

/** A school's requirement groups (optionally one program's), in a stable order. */
export function listRequirementGroups(ds: DataSource, schoolId: string, programId: string | null): Promise<RotationRequirementGroup[]> {
  return ds.getRepository(RotationRequirementGroup).find({
    where: { schoolId, ...(programId ? { programId } : {}) },
    order: { programId: 'ASC', trackId: 'ASC', label: 'ASC' },
  });
}

/** A school's precedences (optionally one program's), in a stable order. */
export function listPrecedences(ds: DataSource, schoolId: string, programId: string | null): Promise<RotationPrecedence[]> {
  return ds.getRepository(RotationPrecedence).find({
    where: { schoolId, ...(programId ? { programId } : {}) },
    order: { programId: 'ASC', trackId: 'ASC', before: 'ASC', after: 'ASC' },
  });
}
