import { z } from 'zod';
import { isoDateInput } from '@medcollab/kit';
import { MAX_GROUP_SIZE, MIN_GROUP_SIZE } from './mentorship-rules';
import { GOAL_EVIDENCE_KINDS, GOAL_STATUSES, MENTORSHIP_FOCUSES, MENTORSHIP_FORMATS, SPECIALTIES } from './model';

/**
 * Input schemas of every mutation and argument. They judge the input alone; rules that need
 * stored data (roles, capacities, memberships) run in the data layer inside the transaction.
 */

export const MAX_CAPACITY = 30;
export const MAX_TAGS = 10;
export const MAX_EVIDENCE = 50;

const id = z.uuid('must be a UUID');
const unique = <T>(values: T[]): T[] => [...new Set(values)];
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .nullish()
    .transform((v) => (v ? v : null));
const reason = z.string().trim().min(1, 'must not be empty').max(500, 'must be at most 500 characters');
/** Free-text tags (research areas, interests): trimmed, unique case-insensitively, 2-100 characters each. */
const tags = z
  .array(z.string().trim().min(2, 'each must be at least 2 characters').max(100, 'each must be at most 100 characters'))
  .max(MAX_TAGS, `at most ${MAX_TAGS}`)
  .nullish()
  .transform((v) => [...new Map((v ?? []).map((t) => [t.toLowerCase(), t])).values()]);
const specialties = z
  .array(z.enum(SPECIALTIES))
  .nullish()
  .transform((v) => unique(v ?? []));

export const upsertMentorProfileSchema = z.object({
  staffId: id,
  capacity: z.number().int('must be a whole number').min(1, 'must be at least 1').max(MAX_CAPACITY, `must be at most ${MAX_CAPACITY}`),
  specialties,
  researchAreas: tags,
  researchActive: z
    .boolean()
    .nullish()
    .transform((v) => v ?? false),
  formats: z.array(z.enum(MENTORSHIP_FORMATS)).min(1, 'offer at least one format').transform(unique),
  acceptingMentees: z
    .boolean()
    .nullish()
    .transform((v) => v ?? true),
  hoursPerMonth: z
    .number()
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(160, 'must be at most 160')
    .nullish()
    .transform((v) => v ?? null),
  bio: optionalText(2000),
});
export type UpsertMentorProfileInput = z.infer<typeof upsertMentorProfileSchema>;

export const setMenteePreferencesSchema = z.object({
  studentId: id,
  specialtyInterests: specialties,
  researchInterests: tags,
  preferredFormat: z
    .enum(MENTORSHIP_FORMATS)
    .nullish()
    .transform((v) => v ?? null),
});
export type SetMenteePreferencesInput = z.infer<typeof setMenteePreferencesSchema>;

/** A cohort is a program, or a school's cohort year: exactly one of the two. */
export const startMatchingRunSchema = z
  .object({
    programId: id.nullish(),
    schoolId: id.nullish(),
    cohortYear: z.number().int('must be a whole year').min(1990, 'must be 1990 or later').max(2100, 'must be 2100 or earlier').nullish(),
  })
  .transform((v, ctx) => {
    if (v.programId && !v.schoolId && v.cohortYear == null) return { kind: 'program' as const, programId: v.programId };
    if (!v.programId && v.schoolId && v.cohortYear != null)
      return { kind: 'cohort' as const, schoolId: v.schoolId, cohortYear: v.cohortYear };
    ctx.addIssue({ code: 'custom', message: 'give either programId, or schoolId with cohortYear' });
    return z.NEVER;
  });
export type CohortSelector = z.infer<typeof startMatchingRunSchema>;

export const acceptMatchingRunSchema = z.object({ runId: id });
export const rejectMatchingRunSchema = z.object({ runId: id, reason });

export const createMentorshipSchema = z
  .object({
    mentorId: id,
    menteeIds: z.array(id).min(1, 'name at least one mentee').transform(unique),
    format: z.enum(MENTORSHIP_FORMATS),
    focus: z.enum(MENTORSHIP_FOCUSES),
    groupSizeLimit: z
      .number()
      .int('must be a whole number')
      .min(MIN_GROUP_SIZE, `must be at least ${MIN_GROUP_SIZE}`)
      .max(MAX_GROUP_SIZE, `must be at most ${MAX_GROUP_SIZE}`)
      .nullish()
      .transform((v) => v ?? null),
  })
  .superRefine((v, ctx) => {
    if (v.format === 'SMALL_GROUP' && v.groupSizeLimit === null) {
      ctx.addIssue({ code: 'custom', path: ['groupSizeLimit'], message: 'is required for a SMALL_GROUP' });
    }
    if (v.format === 'ONE_ON_ONE' && v.groupSizeLimit !== null) {
      ctx.addIssue({ code: 'custom', path: ['groupSizeLimit'], message: 'applies only to a SMALL_GROUP' });
    }
  });
export type CreateMentorshipInput = z.infer<typeof createMentorshipSchema>;

export const addMenteeSchema = z.object({ mentorshipId: id, studentId: id });
export const changeMentorshipSchema = z.object({ mentorshipId: id, reason });
export const resumeMentorshipSchema = z.object({ mentorshipId: id });

export const logMeetingSchema = z.object({
  mentorshipId: id,
  date: isoDateInput,
  attendeeIds: z.array(id).min(1, 'name at least one attendee').transform(unique),
  notes: optionalText(10_000),
});
export type LogMeetingInput = z.infer<typeof logMeetingSchema>;

const evidence = z
  .array(z.object({ kind: z.enum(GOAL_EVIDENCE_KINDS), id }))
  .max(MAX_EVIDENCE, `at most ${MAX_EVIDENCE}`)
  .refine((list) => new Set(list.map((e) => `${e.kind}:${e.id}`)).size === list.length, 'lists the same evidence twice');
const title = z.string().trim().min(3, 'must be at least 3 characters').max(200, 'must be at most 200 characters');
const nullableDate = isoDateInput.nullish().transform((v) => v ?? null);

export const setDevelopmentGoalSchema = z.object({
  studentId: id,
  title,
  description: optionalText(2000),
  competencyId: id.nullish().transform((v) => v ?? null),
  targetDate: nullableDate,
  evidence: evidence.nullish().transform((v) => v ?? []),
});
export type SetDevelopmentGoalInput = z.infer<typeof setDevelopmentGoalSchema>;

/** Fields left out (undefined) stay as they are; null clears the optional ones. */
export const updateDevelopmentGoalSchema = z.object({
  id,
  title: title.nullish().refine((v) => v !== null, 'cannot be cleared'),
  description: z.string().trim().max(2000, 'must be at most 2000 characters').nullish(),
  competencyId: id.nullish(),
  targetDate: isoDateInput.nullish(),
  status: z
    .enum(GOAL_STATUSES)
    .nullish()
    .refine((v) => v !== null, 'cannot be cleared'),
  evidence: evidence.nullish().refine((v) => v !== null, 'cannot be cleared (give an empty list)'),
  accept: z.literal(true, 'can only be true').nullish(),
});
export type UpdateDevelopmentGoalInput = z.infer<typeof updateDevelopmentGoalSchema>;

const level = z.number().min(0, 'must be 0 or more').max(100, 'must be at most 100');
export const createGoalFromGapSchema = z
  .object({ studentId: id, competencyId: id, requiredLevel: level, currentLevel: level, targetDate: nullableDate })
  .refine((v) => v.requiredLevel > v.currentLevel, {
    path: ['requiredLevel'],
    message: 'must be above currentLevel (there is no gap otherwise)',
  });
export type CreateGoalFromGapInput = z.infer<typeof createGoalFromGapSchema>;

/** `first` of a short list: 1..max, default `fallback`. */
export const firstSchema = (max: number, fallback: number) =>
  z
    .number()
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(max, `must be at most ${max}`)
    .nullish()
    .transform((v) => v ?? fallback);

export const isUuid = (value: string): boolean => id.safeParse(value).success;
