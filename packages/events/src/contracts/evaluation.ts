import { z } from 'zod';
import { defineEvent } from '../contract';
import { instant } from './scalars';

/**
 * A learner's evaluation of a site (SITE_EVALUATION) or a teacher (TEACHER_EVALUATION) was
 * submitted. Aggregate: the submission (evaluations are never amended, so each has one event).
 * The evaluator is named only by `evaluatorPseudonym`, a keyed HMAC-SHA256 of their id whose key
 * stays in assessment: enough for quality to count distinct evaluators behind a cell (k), never
 * enough to tell who said what. No student, task or placement id is carried (a placement id would
 * lead to the student through the placement events quality holds, ADR 0047).
 */
export const EvaluationSubmitted = defineEvent(
  'EvaluationSubmitted',
  1,
  'EvaluationSubmission',
  z.object({
    submissionId: z.uuid(),
    kind: z.enum(['SITE_EVALUATION', 'TEACHER_EVALUATION']),
    evaluatorPseudonym: z.string().regex(/^[0-9a-f]{64}$/, 'must be a hex HMAC-SHA256'),
    /** The school of the evaluating student (a school's quality office sees its students' evaluations). */
    schoolId: z.uuid(),
    hospitalId: z.uuid().nullable(),
    departmentId: z.uuid().nullable(),
    /** The teacher evaluated (TEACHER_EVALUATION), else null. */
    teacherId: z.uuid().nullable(),
    blockId: z.uuid().nullable(),
    /**
     * No longer published (ADR 0047): quality also holds the placement events, which name the
     * placement's student, so the placement named the evaluator. Older events carry it; quality
     * keeps none of them with it.
     */
    placementId: z.uuid().nullable().optional(),
    /**
     * The evaluating student's program (their active enrolment when they evaluated), for quality's
     * drill-down school → program → module. Optional: events written before it was added lack it.
     */
    programId: z.uuid().nullable().optional(),
    /**
     * The program's module the placement belongs to: the first module, in the program's order,
     * that integrates the department's specialty (a module's disciplines, as ProgramPublished
     * lists them); null when none does or the program or specialty is unknown. Decided when the
     * evaluation is submitted, so the fact never changes afterwards. Optional like programId.
     */
    moduleId: z.uuid().nullable().optional(),
    /** E.g. 2026-2027, as assessment counts it. */
    academicYear: z.string(),
    submittedAt: instant,
    /** The rated answers (N/A and unrated items left out), with each item's scale. */
    itemScores: z.array(z.object({ itemKey: z.string(), label: z.string(), value: z.number(), min: z.number(), max: z.number() })),
  }),
);
