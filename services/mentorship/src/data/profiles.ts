import { randomUUID } from 'node:crypto';
import { BadUserInputError, ConflictError } from '@medcollab/kit';
import { type EntityManager } from 'typeorm';
import { type SetMenteePreferencesInput, type UpsertMentorProfileInput } from '../domain/validation';
import { type KnownStaff, MenteePreferences, MentorProfile } from '../entities';
import { menteeCounts } from './reach';

/**
 * Creates or changes a mentor profile. Only MENTOR staff have one; capacity never drops
 * below the mentees the mentor has now (checked under the profile's row lock, which every
 * capacity decision takes).
 */
export async function upsertMentorProfile(
  em: EntityManager,
  staff: KnownStaff,
  input: UpsertMentorProfileInput,
  opts: { id?: string } = {},
): Promise<MentorProfile> {
  if (!staff.roles.includes('MENTOR')) {
    throw new BadUserInputError('Only staff holding the MENTOR role can have a mentor profile', { field: 'staffId' });
  }
  const repo = em.getRepository(MentorProfile);
  const [existing] = (await em.query('SELECT id FROM mentor_profile WHERE staff_id = $1 FOR UPDATE', [staff.id])) as { id: string }[];
  const mentees = (await menteeCounts(em, [staff.id])).get(staff.id) ?? 0;
  if (input.capacity < mentees) {
    throw new ConflictError(`Capacity cannot go below the ${mentees} mentees the mentor has now`, {
      field: 'capacity',
      menteeCount: mentees,
    });
  }
  const { staffId: _staffId, ...fields } = input;
  const now = new Date();
  if (existing) {
    await repo.update({ id: existing.id }, { ...fields, updatedAt: now });
    return repo.findOneByOrFail({ id: existing.id });
  }
  return repo.save(
    repo.create({ id: opts.id ?? randomUUID(), staffId: staff.id, institutionId: staff.institutionId, ...fields, updatedAt: now }),
  );
}

/** Creates or replaces a student's mentee preferences. */
export async function setMenteePreferences(em: EntityManager, input: SetMenteePreferencesInput): Promise<MenteePreferences> {
  const repo = em.getRepository(MenteePreferences);
  return repo.save(repo.create({ ...input, updatedAt: new Date() }));
}
