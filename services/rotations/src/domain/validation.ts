import { z } from 'zod';
import { isAcademicYear } from './block-rules';
import { instantInput, isoDateInput } from '@medcollab/kit';
import { PLACEMENT_STATUSES, SPECIALTIES, SWAP_STATUSES } from './model';
import { MAX_STUDENTS_PER_INSTRUCTOR } from './supervisor-proposal';

/**
 * Input schemas for every mutation and list filter. They judge the input alone; rules that
 * need stored data (agreements, seats, overlaps) live in the other domain modules and run
 * inside the write transaction.
 */

/** Seats one school may get at one department in one block; more is surely a typo. */
export const MAX_SEATS = 200;
/** Entries in one ranking. */
export const MAX_RANKINGS = 50;

const id = z.uuid('must be a UUID');
const optionalId = id.nullish().transform((v) => v ?? null);
const academicYear = z.string().trim().refine(isAcademicYear, 'must be two consecutive years written YYYY-YYYY, e.g. 2026-2027');
const note = z
  .string()
  .trim()
  .max(500, 'must be at most 500 characters')
  .nullish()
  .transform((v) => v || null);

/** Ids in read arguments: a malformed one can never match, so reads treat it as absent. */
export const isUuid = (value: string): boolean => id.safeParse(value).success;

export const createRotationBlockSchema = z
  .object({
    schoolId: id,
    academicYear,
    name: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
    startsOn: isoDateInput,
    endsOn: isoDateInput,
  })
  .refine((v) => v.endsOn > v.startsOn, { path: ['endsOn'], message: 'must be after startsOn' });
export type CreateRotationBlockInput = z.infer<typeof createRotationBlockSchema>;

export const setSiteCapacitySchema = z.object({
  departmentId: id,
  blockId: id,
  schoolId: id,
  seats: z.number().int('must be a whole number').min(0, 'must be 0 or more').max(MAX_SEATS, `must be at most ${MAX_SEATS}`),
});
export type SetSiteCapacityInput = z.infer<typeof setSiteCapacitySchema>;

export const createPlacementSchema = z.object({ studentId: id, departmentId: id, blockId: id, supervisorId: optionalId });
export type CreatePlacementInput = z.infer<typeof createPlacementSchema>;

export const placementIdSchema = z.object({ id });

/** Placements one assignPlacementSupervisors may name: a department's block, with room to spare. */
export const MAX_SUPERVISOR_ASSIGNMENTS = 500;

export const assignSupervisorsSchema = z.object({
  assignments: z
    .array(z.object({ placementId: id, supervisorId: id }))
    .min(1, 'name at least one placement')
    .max(MAX_SUPERVISOR_ASSIGNMENTS, `must name at most ${MAX_SUPERVISOR_ASSIGNMENTS} placements`)
    .refine((xs) => new Set(xs.map((x) => x.placementId)).size === xs.length, 'must name each placement once'),
});
export type AssignSupervisorsInput = z.infer<typeof assignSupervisorsSchema>;

export const proposeSupervisorsArgs = z
  .object({
    departmentId: id,
    blockId: optionalId,
    runId: optionalId,
    maxStudentsPerInstructor: z
      .number()
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .max(MAX_STUDENTS_PER_INSTRUCTOR, `must be at most ${MAX_STUDENTS_PER_INSTRUCTOR}`),
  })
  .refine((v) => (v.blockId === null) !== (v.runId === null), { path: ['blockId'], message: 'name either a block or an allocation run' });
export type ProposeSupervisorsArgs = z.infer<typeof proposeSupervisorsArgs>;

export const cancelPlacementSchema = z.object({
  id,
  reason: z.string().trim().min(1, 'say why the placement is cancelled').max(500, 'must be at most 500 characters'),
});

export const openPreferenceWindowSchema = z
  .object({ schoolId: id, academicYear, opensAt: instantInput, closesAt: instantInput })
  .refine((v) => v.closesAt.getTime() > v.opensAt.getTime(), { path: ['closesAt'], message: 'must be after opensAt' });
export type OpenPreferenceWindowInput = z.infer<typeof openPreferenceWindowSchema>;

const rankingEntry = z.object({
  rank: z.number().int('must be a whole number').min(1, 'must be 1 or more'),
  departmentId: optionalId,
  specialty: z
    .enum(SPECIALTIES)
    .nullish()
    .transform((v) => v ?? null),
  blockId: optionalId,
});

export const submitPreferencesSchema = z.object({
  studentId: id,
  academicYear,
  rankings: z.array(rankingEntry).min(1, 'rank at least one choice').max(MAX_RANKINGS, `rank at most ${MAX_RANKINGS} choices`),
});
export type SubmitPreferencesInput = z.infer<typeof submitPreferencesSchema>;

export const requestSwapSchema = z
  .object({ placementId: id, withPlacementId: optionalId, toDepartmentId: optionalId, note })
  .refine((v) => (v.withPlacementId === null) !== (v.toDepartmentId === null), {
    path: ['withPlacementId'],
    message: 'give exactly one of withPlacementId or toDepartmentId',
  });
export type RequestSwapInput = z.infer<typeof requestSwapSchema>;

export const respondToSwapSchema = z.object({ id, accept: z.boolean() });
export const decideSwapSchema = z.object({ id, approve: z.boolean(), note });

export const rotateCalendarTokenSchema = z
  .object({ studentId: optionalId, departmentId: optionalId })
  .refine((v) => (v.studentId === null) !== (v.departmentId === null), {
    path: ['studentId'],
    message: 'give exactly one of studentId or departmentId',
  });

export const placementFilterSchema = z
  .object({
    schoolId: optionalId,
    hospitalId: optionalId,
    departmentId: optionalId,
    blockId: optionalId,
    studentId: optionalId,
    status: z
      .enum(PLACEMENT_STATUSES)
      .nullish()
      .transform((v) => v ?? null),
  })
  .nullish()
  .transform((v) => v ?? { schoolId: null, hospitalId: null, departmentId: null, blockId: null, studentId: null, status: null });
export type PlacementFilter = z.infer<typeof placementFilterSchema>;

export const academicYearArgs = z.object({ schoolId: id, academicYear });

export const swapListArgs = z.object({
  schoolId: id,
  status: z
    .enum(SWAP_STATUSES)
    .nullish()
    .transform((v) => v ?? null),
});

/** Blocks of one specialty a program can sensibly require. */
export const MAX_REQUIRED_BLOCKS = 12;

export const setRotationRequirementSchema = z
  .object({
    schoolId: id,
    programId: id,
    trackId: optionalId,
    specialty: z.enum(SPECIALTIES),
    blocks: z
      .number()
      .int('must be a whole number')
      .min(1, 'must be 1 or more')
      .max(MAX_REQUIRED_BLOCKS, `must be at most ${MAX_REQUIRED_BLOCKS}`),
    durationBlocks: z.number().int('must be a whole number').nullish(),
    prerequisiteModuleIds: z
      .array(id)
      .max(50, 'list at most 50 modules')
      .nullish()
      .transform((v) => [...new Set(v ?? [])]),
  })
  // Messages name the specialty: a coordinator sets several requirements in one screen.
  .superRefine((v, issue) => {
    const d = v.durationBlocks ?? 1;
    if (d < 1 || d > MAX_REQUIRED_BLOCKS)
      issue.addIssue({
        code: 'custom',
        path: ['durationBlocks'],
        message: `a ${v.specialty} rotation must last from 1 to ${MAX_REQUIRED_BLOCKS} blocks (not ${d})`,
      });
    else if (v.blocks % d !== 0)
      issue.addIssue({
        code: 'custom',
        path: ['blocks'],
        message: `${v.blocks} blocks of ${v.specialty} are not a whole number of ${d}-block rotations`,
      });
  })
  .transform((v) => ({ ...v, durationBlocks: v.durationBlocks ?? 1 }));
export type SetRotationRequirementInput = z.infer<typeof setRotationRequirementSchema>;

export const requirementListArgs = z.object({ schoolId: id, programId: optionalId });

/** Specialties one requirement group may list. */
export const MAX_GROUP_SPECIALTIES = 20;

/**
 * "Complete between minBlocks and maxBlocks blocks among these specialties" (maxBlocks defaults
 * to minBlocks). Each member is done at most once unless a requirement of its own asks for more,
 * so minBlocks cannot exceed the number of members.
 */
export const setRotationRequirementGroupSchema = z
  .object({
    schoolId: id,
    programId: id,
    trackId: optionalId,
    label: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
    specialties: z
      .array(z.enum(SPECIALTIES))
      .min(2, 'list at least 2 specialties (a single one is a plain requirement)')
      .max(MAX_GROUP_SPECIALTIES, `list at most ${MAX_GROUP_SPECIALTIES} specialties`)
      .refine((v) => new Set(v).size === v.length, 'must not repeat a specialty'),
    minBlocks: z
      .number()
      .int('must be a whole number')
      .min(1, 'must be 1 or more')
      .max(MAX_REQUIRED_BLOCKS, `must be at most ${MAX_REQUIRED_BLOCKS}`),
    maxBlocks: z
      .number()
      .int('must be a whole number')
      .max(MAX_REQUIRED_BLOCKS, `must be at most ${MAX_REQUIRED_BLOCKS}`)
      .nullish()
      .transform((v) => v ?? null),
  })
  .refine((v) => v.maxBlocks === null || v.maxBlocks >= v.minBlocks, { path: ['maxBlocks'], message: 'must be at least minBlocks' })
  .refine((v) => (v.maxBlocks ?? v.minBlocks) <= v.specialties.length, {
    path: ['minBlocks'],
    message: 'cannot exceed the number of specialties listed (each member is done once)',
  })
  .transform((v) => ({ ...v, maxBlocks: v.maxBlocks ?? v.minBlocks }));
export type SetRotationRequirementGroupInput = z.infer<typeof setRotationRequirementGroupSchema>;

/** "Every block of `before` comes earlier than every block of `after`" for a program (and track). */
export const setRotationPrecedenceSchema = z
  .object({
    schoolId: id,
    programId: id,
    trackId: optionalId,
    before: z.enum(SPECIALTIES),
    after: z.enum(SPECIALTIES),
  })
  .refine((v) => v.before !== v.after, { path: ['after'], message: 'must differ from before' });
export type SetRotationPrecedenceInput = z.infer<typeof setRotationPrecedenceSchema>;

export const removeByIdSchema = z.object({ id });
