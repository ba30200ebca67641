import { z } from 'zod';
import { isAcademicYear } from '../domain/block-rules';

/** Input schemas of the allocation mutations. */

const id = z.uuid('must be a UUID');
const mechanism = z.enum(['OPTIMAL', 'LOTTERY']);

/** Largest weight of a whole-schedule term (the scale is relative: only the ratio matters). */
export const MAX_SCHEDULE_WEIGHT = 100;

const scheduleWeight = z
  .number()
  .min(0, 'a weight is 0 or more')
  .max(MAX_SCHEDULE_WEIGHT)
  .nullish()
  .transform((v) => v ?? 1);

/** Longest solve a coordinator may ask for (one hour). */
export const MAX_TIME_LIMIT_SECONDS = 3600;

export const startAllocationRunSchema = z
  .object({
    schoolId: id,
    academicYear: z
      .string()
      .trim()
      .refine(isAcademicYear, 'must be two consecutive years written YYYY-YYYY')
      .nullish()
      .transform((v) => v ?? null),
    blockIds: z
      .array(id)
      .min(1, 'name at least one block')
      .max(52)
      .nullish()
      .transform((v) => (v ? [...new Set(v)].sort() : null)),
    mechanism,
    options: z
      .object({
        seed: z
          .string()
          .trim()
          .min(1)
          .max(100)
          .nullish()
          .transform((v) => v ?? null),
        timeLimitSeconds: z
          .number()
          .int()
          .min(1)
          .max(MAX_TIME_LIMIT_SECONDS)
          .nullish()
          .transform((v) => v ?? null),
        mipRelGap: z
          .number()
          .min(0)
          .max(1)
          .nullish()
          .transform((v) => v ?? null),
        scheduleWeights: z
          .object({ hospitalChange: scheduleWeight, idleBlock: scheduleWeight })
          .nullish()
          .transform((v) => v ?? null),
        placeOthersWhenInfeasible: z
          .boolean()
          .nullish()
          .transform((v) => v ?? false),
      })
      .nullish()
      .transform(
        (v) => v ?? { seed: null, timeLimitSeconds: null, mipRelGap: null, scheduleWeights: null, placeOthersWhenInfeasible: false },
      ),
    exemptions: z
      .array(
        z
          .object({
            studentId: id,
            kind: z.enum(['PIN', 'BAR']),
            departmentId: id.nullish().transform((v) => v ?? null),
            hospitalId: id.nullish().transform((v) => v ?? null),
            blockId: id.nullish().transform((v) => v ?? null),
            reason: z.string().trim().min(1, 'say why').max(200),
          })
          .refine((e) => e.kind === 'BAR' || (e.departmentId !== null && e.blockId !== null && e.hospitalId === null), {
            message: 'a PIN names a departmentId and a blockId (and no hospitalId)',
          })
          .refine((e) => e.kind === 'PIN' || (e.departmentId === null) !== (e.hospitalId === null), {
            message: 'a BAR names either a departmentId or a hospitalId',
          }),
      )
      .max(500)
      .nullish()
      .transform((v) => v ?? []),
    unavailable: z
      .array(z.object({ studentId: id, blockId: id, reason: z.string().trim().min(1, 'say why').max(200) }))
      .max(5000)
      .nullish()
      .transform((v) => v ?? []),
    staffingMinimums: z
      .array(
        z.object({
          departmentId: id,
          minStudents: z.number().int().min(2, 'a minimum of 1 is no minimum').max(500),
          blockId: id.nullish().transform((v) => v ?? null),
        }),
      )
      .max(5000)
      .refine(
        (lines) => new Set(lines.map((l) => `${l.departmentId}:${l.blockId ?? ''}`)).size === lines.length,
        'a department has two minimums for the same blocks',
      )
      .nullish()
      .transform((v) => v ?? []),
    hospitalLimits: z
      .array(z.object({ hospitalId: id, maxBlocksPerStudent: z.number().int().min(1, 'use a bar to close a hospital').max(52) }))
      .max(500)
      .refine((limits) => new Set(limits.map((l) => l.hospitalId)).size === limits.length, 'a hospital is limited twice')
      .nullish()
      .transform((v) => v ?? []),
    pairs: z
      .array(
        z.object({
          studentIds: z
            .array(id)
            .min(2, 'a pair has at least two students')
            .max(6)
            .refine((ids) => new Set(ids).size === ids.length, 'a student is named twice'),
        }),
      )
      .max(250)
      .nullish()
      .transform((v) => v ?? []),
  })
  .refine((v) => (v.academicYear === null) !== (v.blockIds === null), {
    path: ['academicYear'],
    message: 'give either academicYear or blockIds',
  });
export type StartAllocationRunInput = z.infer<typeof startAllocationRunSchema>;

export const runIdSchema = z.object({ id });

export const publishAllocationRunSchema = z.object({
  runId: id,
  variation: mechanism,
  supersede: z
    .boolean()
    .nullish()
    .transform((v) => v ?? false),
});
export type PublishAllocationRunInput = z.infer<typeof publishAllocationRunSchema>;
