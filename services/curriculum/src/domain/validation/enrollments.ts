import { z } from 'zod';
import { id, isoDate, optionalId, optionalText, text } from './common';

export const enrollStudentSchema = z.object({ studentId: id, programId: id, trackId: optionalId });
export type EnrollStudentInput = z.infer<typeof enrollStudentSchema>;

export const changeTrackSchema = z.object({ studentId: id, programId: id, trackId: id, reason: text(3, 1_000) });
export type ChangeTrackInput = z.infer<typeof changeTrackSchema>;

export const withdrawStudentSchema = z.object({ studentId: id, programId: id, reason: optionalText(1_000) });
export type WithdrawStudentInput = z.infer<typeof withdrawStudentSchema>;

export const recordCompletionSchema = z.object({
  studentId: id,
  moduleId: id,
  completedOn: isoDate.nullish().transform((v) => v ?? null),
});
export type RecordCompletionInput = z.infer<typeof recordCompletionSchema>;
