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

const PREFERENCE_FIELDS = ['specialtyInterests', 'researchInterests', 'preferredFormat'] as const;
const sameValue = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * Creates or replaces a student's mentee preferences; `changed` names the fields that differ
 * from before (all of them for a first setting), for the audit trail. The row is locked so two
 * settings of one student's preferences report their own differences.
 */
export async function setMenteePreferences(
  em: EntityManager,
  input: SetMenteePreferencesInput,
): Promise<{ preferences: MenteePreferences; changed: string[] }> {
  const repo = em.getRepository(MenteePreferences);
  const before = await repo.findOne({ where: { studentId: input.studentId }, lock: { mode: 'pessimistic_write' } });
  const changed = PREFERENCE_FIELDS.filter((f) => !before || !sameValue(before[f], input[f]));
  const preferences = await repo.save(repo.create({ ...input, updatedAt: new Date() }));
  return { preferences, changed };
}
