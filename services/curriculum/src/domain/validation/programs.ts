import { z } from 'zod';
import { DELIVERY_MODES, DISCIPLINES, ORGAN_SYSTEMS, SPECIALTIES, TEACHING_METHODS, TRACK_KINDS } from '../model';
import { code, id, idList, instant, optionalText, refineUnique, text } from './common';

/** Longest study a program can describe (years of a module), and the most hours one discipline takes in one module. */
export const MAX_PROGRAM_YEARS = 8;
export const MAX_DISCIPLINE_HOURS = 2_000;
/** A teaching session lasts at most a day. */
export const MAX_SESSION_MINUTES = 24 * 60;

export const createProgramSchema = z.object({
  schoolId: id,
  title: text(2, 200),
  description: optionalText(4_000),
});
export type CreateProgramInput = z.infer<typeof createProgramSchema>;

const disciplineHours = z.object({
  discipline: z.enum(DISCIPLINES),
  hours: z
    .number()
    .refine(Number.isFinite, 'must be a finite number')
    .min(0, 'must be 0 or more (negative hours are not a thing)')
    .max(MAX_DISCIPLINE_HOURS, `must be at most ${MAX_DISCIPLINE_HOURS}`),
});

export const addModuleSchema = z
  .object({
    programId: id,
    code,
    title: text(2, 200),
    organSystem: z
      .enum(ORGAN_SYSTEMS)
      .nullish()
      .transform((v) => v ?? null),
    year: z.number().int('must be a whole year').min(1, 'must be 1 or more').max(MAX_PROGRAM_YEARS, `must be at most ${MAX_PROGRAM_YEARS}`),
    disciplines: z
      .array(disciplineHours)
      .max(40, 'must list at most 40')
      .nullish()
      .transform((v) => v ?? []),
    prerequisiteModuleIds: idList(100),
  })
  .superRefine((v, ctx) =>
    refineUnique(
      v.disciplines,
      (d) => d.discipline,
      (i) => ['disciplines', i, 'discipline'],
      ctx,
      'discipline',
    ),
  );
export type AddModuleInput = z.infer<typeof addModuleSchema>;

export const setPrerequisitesSchema = z.object({ moduleId: id, prerequisiteModuleIds: idList(100) });
export type SetPrerequisitesInput = z.infer<typeof setPrerequisitesSchema>;

export const addObjectiveSchema = z.object({
  moduleId: id,
  statement: text(3, 1_000),
  competencyIds: idList(50),
});
export type AddObjectiveInput = z.infer<typeof addObjectiveSchema>;

export const addSessionSchema = z.object({
  moduleId: id,
  title: text(2, 200),
  method: z.enum(TEACHING_METHODS),
  delivery: z.enum(DELIVERY_MODES),
  startsAt: instant.nullish().transform((v) => v ?? null),
  durationMinutes: z
    .number()
    .int('must be a whole number of minutes')
    .min(1, 'must be more than 0')
    .max(MAX_SESSION_MINUTES, `must be at most ${MAX_SESSION_MINUTES}`),
  objectiveIds: idList(50),
});
export type AddSessionInput = z.infer<typeof addSessionSchema>;

export const createTrackSchema = z
  .object({
    programId: id,
    kind: z.enum(TRACK_KINDS),
    title: text(2, 200),
    specialty: z
      .enum(SPECIALTIES)
      .nullish()
      .transform((v) => v ?? null),
    description: optionalText(4_000),
  })
  .superRefine((v, ctx) => {
    if (v.kind === 'SPECIALTY' && !v.specialty)
      ctx.addIssue({ code: 'custom', path: ['specialty'], message: 'is required for a SPECIALTY track' });
    if (v.kind !== 'SPECIALTY' && v.specialty)
      ctx.addIssue({ code: 'custom', path: ['specialty'], message: 'is only for SPECIALTY tracks' });
  });
export type CreateTrackInput = z.infer<typeof createTrackSchema>;
