import { randomUUID } from 'node:crypto';
import { type DataSource, type EntityManager } from 'typeorm';
import { type SetRotationRequirementInput } from '../domain/validation';
import { RotationRequirement } from '../entities';

/**
 * Sets how many blocks of a specialty a program (or one of its tracks) requires, and the
 * curriculum modules that must come first: one requirement per program, track (or all
 * tracks) and specialty, replaced when set again. Programs, tracks and modules are the
 * curriculum service's; their ids are stored as given.
 */
export async function setRotationRequirement(
  em: EntityManager,
  input: SetRotationRequirementInput,
  actorId: string,
  now: Date,
): Promise<RotationRequirement> {
  const repo = em.getRepository(RotationRequirement);
  // Serialises writers of the same requirement (the unique index is on an expression).
  await em.query(`SELECT pg_advisory_xact_lock(hashtext('rotations.requirement'), hashtext($1))`, [
    `${input.programId}:${input.trackId ?? '*'}:${input.specialty}`,
  ]);
  const existing = await repo
    .createQueryBuilder('r')
    .where('r.program_id = :programId AND r.specialty = :specialty', input)
    .andWhere(input.trackId ? 'r.track_id = :trackId' : 'r.track_id IS NULL', { trackId: input.trackId })
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

/** A school's requirements, by program, track and specialty. */
export function listRotationRequirements(ds: DataSource, schoolId: string, programId: string | null): Promise<RotationRequirement[]> {
  return ds.getRepository(RotationRequirement).find({
    where: { schoolId, ...(programId ? { programId } : {}) },
    order: { programId: 'ASC', trackId: 'ASC', specialty: 'ASC' },
  });
}
