import { type DataSource, type EntityManager } from 'typeorm';
import { NotFoundError } from '@medcollab/kit';
import { type SetRotationPrecedenceInput, type SetRotationRequirementGroupInput } from '../domain/validation';
import { RotationPrecedence, RotationRequirementGroup } from '../entities';
import { upsertProgramRule } from './program-rule-upsert';

/**
 * Requirement groups and precedences of a program (or track), set by the school's planners and
 * read into allocation snapshots (`allocation/snapshot.ts`). Programs and tracks are the
 * curriculum's; their ids are stored as given.
 */

/** Sets (or replaces, by label within the program and track) a requirement group. */
export async function setRequirementGroup(
  em: EntityManager,
  input: SetRotationRequirementGroupInput,
  actorId: string,
  now: Date,
): Promise<RotationRequirementGroup> {
  return upsertProgramRule(
    em,
    RotationRequirementGroup,
    {
      lock: 'rotations.requirement_group',
      parts: [input.label.toLowerCase()],
      ...input,
      match: 'lower(r.label) = lower(:label)',
      params: input,
    },
    { ...input, updatedBy: actorId, updatedAt: now },
  );
}

/** Sets a precedence (idempotent: setting the same pair again only records who and when). */
export async function setPrecedence(
  em: EntityManager,
  input: SetRotationPrecedenceInput,
  actorId: string,
  now: Date,
): Promise<RotationPrecedence> {
  return upsertProgramRule(
    em,
    RotationPrecedence,
    {
      lock: 'rotations.precedence',
      parts: [input.before, input.after],
      ...input,
      match: 'r.before_specialty = :before AND r.after_specialty = :after',
      params: input,
    },
    { ...input, updatedBy: actorId, updatedAt: now },
  );
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
