import { z } from 'zod';
import { defineEvent } from '../contract';

const instant = z.iso.datetime({ offset: true });

/**
 * An assessment of a student was submitted (version 1) or amended (version 2, 3…). Aggregate:
 * the submission; consumers key on `submissionId` and take the highest version. The payload
 * carries the competency evidence, so consumers (quality rollups, curriculum module results,
 * mentorship goal evidence) need not ask back. Evaluations of sites and teachers by students
 * are never published: they would carry the evaluator's identity out of the service that
 * keeps them anonymous.
 */
export const AssessmentSubmitted = defineEvent(
  'AssessmentSubmitted',
  1,
  'Submission',
  z.object({
    taskId: z.uuid(),
    submissionId: z.uuid(),
    version: z.number().int().min(1),
    studentId: z.uuid(),
    schoolId: z.uuid(),
    assessorId: z.uuid(),
    instrumentId: z.uuid(),
    instrumentKind: z.enum(['MINI_CEX', 'DOPS', 'OSCE_STATION', 'CASE_ANALYSIS', 'MULTISOURCE_FEEDBACK', 'NOTSS', 'EPA_ENTRUSTMENT']),
    purpose: z.enum(['FORMATIVE', 'SUMMATIVE']),
    /** The placement the task came from (or was tied to); null for tasks assigned without one. */
    placementId: z.uuid().nullable(),
    submittedAt: instant,
    /** One entry per rated answer of an item mapped to a competency (N/A answers left out). */
    competencyResults: z.array(
      z.object({
        competencyId: z.uuid(),
        itemKey: z.string(),
        scaleType: z.enum(['LIKERT', 'NOTSS', 'ENTRUSTMENT', 'CHECKLIST']),
        entrustmentMode: z.enum(['RETROSPECTIVE', 'PROSPECTIVE']).nullable(),
        value: z.number(),
        min: z.number(),
        max: z.number(),
      }),
    ),
  }),
);
