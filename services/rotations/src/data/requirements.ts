import { type DataSource, type EntityManager } from 'typeorm';
import { type SetRotationRequirementInput } from '../domain/validation';
import { RotationRequirement } from '../entities';
import { upsertProgramRule } from './program-rule-upsert';

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
  return upsertProgramRule(
    em,
    RotationRequirement,
    { lock: 'rotations.requirement', parts: [input.specialty], ...input, match: 'r.specialty = :specialty', params: input },
    { ...input, updatedBy: actorId, updatedAt: now },
  );
}

/** A school's requirements, by program, track and specialty. */
export function listRotationRequirements(ds: DataSource, schoolId: string, programId: string | null): Promise<RotationRequirement[]> {
  return ds.getRepository(RotationRequirement).find({
    where: { schoolId, ...(programId ? { programId } : {}) },
    order: { programId: 'ASC', trackId: 'ASC', specialty: 'ASC' },
  });
}
