import { z } from 'zod';

const instant = z.union([z.date(), z.iso.datetime({ offset: true }).transform((s) => new Date(s))]).nullish();

export const entryFilterSchema = z.object({
  institutionId: z.uuid(),
  studentId: z.uuid().nullish(),
  actorId: z.string().min(1).max(200).nullish(),
  action: z.enum(['READ', 'CHANGE']).nullish(),
  from: instant,
  to: instant,
});
export type EntryFilter = z.infer<typeof entryFilterSchema>;

export const historyArgsSchema = z.object({ from: instant, to: instant });

export const retentionInputSchema = z.object({
  institutionId: z.uuid(),
  months: z.number().int().min(1).max(1200),
  legalHold: z.boolean(),
});
