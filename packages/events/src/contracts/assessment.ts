import { z } from 'zod';
import { defineEvent } from '../contract';
import { instant } from './scalars';

/**
 * An assessment of a student was submitted (version 1) or amended (version 2, 3…). Aggregate:
 * the submission; consumers key on `submissionId` and take the highest version. The payload
 * carries the competency evidence, so consumers (quality rollups, curriculum module results,
 * mentorship goal evidence) need not ask back. Evaluations of sites and teachers by students
 * are never published here: they would carry the evaluator's identity out of the service that
 * keeps them anonymous (EvaluationSubmitted carries them with a keyed pseudonym instead).
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
    /**
     * The student's program when the assessment was submitted (their most recent active
     * enrolment); null when not enrolled. Optional: events written before it existed lack it.
     */
    programId: z.uuid().nullable().optional(),
    /**
     * The student's cohort (entry year, from the network's student record) and the rotation
     * block of the task's placement; null when unknown. Optional, as programId: events written
     * before they existed lack them (quality counts such results in no cohort and no block).
     */
    cohortYear: z.number().int().nullable().optional(),
    blockId: z.uuid().nullable().optional(),
    /**
     * The program's module the task's placement belongs to, by the rule evaluations use (the
     * first module, in the program's order, that integrates the placement department's
     * specialty); null when none does, or the task has no placement or the student no program.
     * Decided at submission, so the fact never changes afterwards. Optional, as programId:
     * events written before it existed lack it (quality counts them in no module).
     */
    moduleId: z.uuid().nullable().optional(),
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

const taskFacts = {
  taskId: z.uuid(),
  /** Who must fill the task in: a staff member (supervisor assessment, assigned) or a student (evaluations). */
  assessorId: z.uuid(),
  /** SUPERVISOR_ASSESSMENT, SITE_EVALUATION, TEACHER_EVALUATION (from a placement) or ASSIGNED (by hand). */
  role: z.enum(['SUPERVISOR_ASSESSMENT', 'SITE_EVALUATION', 'TEACHER_EVALUATION', 'ASSIGNED']),
  instrumentId: z.uuid(),
  instrumentKind: z.enum([
    'MINI_CEX',
    'DOPS',
    'OSCE_STATION',
    'CASE_ANALYSIS',
    'MULTISOURCE_FEEDBACK',
    'NOTSS',
    'EPA_ENTRUSTMENT',
    'SITE_EVALUATION',
    'TEACHER_EVALUATION',
  ]),
  instrumentTitle: z.string(),
  purpose: z.enum(['FORMATIVE', 'SUMMATIVE']),
  /** The student the task is about (assessed, or evaluating a site or teacher). */
  studentId: z.uuid(),
  schoolId: z.uuid(),
  /** The teacher evaluated (TEACHER_EVALUATION), else null. */
  subjectStaffId: z.uuid().nullable(),
  /** The department evaluated or where the placement ran, else null. */
  departmentId: z.uuid().nullable(),
  placementId: z.uuid().nullable(),
  hospitalId: z.uuid().nullable(),
  blockId: z.uuid().nullable(),
  dueAt: instant,
};

/**
 * A task was assigned (by hand, or from a completed placement). Aggregate: the task. With the
 * later lifecycle events it lets other services (reminders, quality rollups) follow every task
 * without reading assessment's database. Evaluations name the evaluating student here only as
 * the task's assessor, which the reminder service needs to remind them; the answers are never
 * published with an identity (see EvaluationSubmitted). Each change of an evaluation task is
 * written twice (ADR 0053): as it is for the consumers that remind the student, and for quality
 * with `assessorId` and `studentId` (and `previousAssessorId`) replaced by the evaluator's keyed
 * pseudonym in UUID form, `placementId` null and no request actor — the evaluator never reaches
 * quality.
 */
export const AssessmentTaskAssigned = defineEvent(
  'AssessmentTaskAssigned',
  1,
  'AssessmentTask',
  z.object({ ...taskFacts, assignedAt: instant }),
);

/** The task was answered (its first submission; amendments are AssessmentSubmitted versions). */
export const AssessmentTaskSubmitted = defineEvent(
  'AssessmentTaskSubmitted',
  1,
  'AssessmentTask',
  z.object({ ...taskFacts, submittedAt: instant }),
);

/** The assessor declined the task, with a reason. */
export const AssessmentTaskDeclined = defineEvent(
  'AssessmentTaskDeclined',
  1,
  'AssessmentTask',
  z.object({ ...taskFacts, declinedAt: instant, reason: z.string() }),
);

/** The task passed its due date unanswered and was closed. */
export const AssessmentTaskExpired = defineEvent(
  'AssessmentTaskExpired',
  1,
  'AssessmentTask',
  z.object({ ...taskFacts, expiredAt: instant }),
);

/** The task's due date or assessor changed; the payload carries the new facts (reminders re-plan). */
export const AssessmentTaskRescheduled = defineEvent(
  'AssessmentTaskRescheduled',
  1,
  'AssessmentTask',
  z.object({ ...taskFacts, previousDueAt: instant, previousAssessorId: z.uuid(), changedAt: instant }),
);

/**
 * The task was withdrawn before anyone answered it: assessment's weekly burden cap displaced it
 * to make room for a higher-priority task of the same assessor (it is recorded as sampled out,
 * reason DISPLACED). Nobody is reminded of it any more.
 */
export const AssessmentTaskWithdrawn = defineEvent(
  'AssessmentTaskWithdrawn',
  1,
  'AssessmentTask',
  z.object({ ...taskFacts, withdrawnAt: instant, reason: z.enum(['DISPLACED']) }),
);

/**
 * The task was withdrawn unanswered, with a reason people read (its assessor was deactivated
 * and no active instructor of their department could take it over). Consumers that follow
 * tasks (reminders, rollups) treat it as settled.
 */
export const AssessmentTaskCancelled = defineEvent(
  'AssessmentTaskCancelled',
  1,
  'AssessmentTask',
  z.object({ ...taskFacts, cancelledAt: instant, reason: z.string().min(1) }),
);
