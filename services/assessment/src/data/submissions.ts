import { randomUUID } from 'node:crypto';
import { NotFoundError } from '@medcollab/kit';
import { AssessmentSubmitted } from '@medcollab/events';
import { type EntityManager } from 'typeorm';
import { isEvaluationRole } from '../domain/access-policy';
import { isEvaluationKind } from '../domain/model';
import { refusal } from '../domain/refusals';
import { changedItemKeys, checkResponses, type ItemResponse, type ResponseInput, type ResponseIssue } from '../domain/responses';
import { type InstrumentItemDef } from '../domain/scales';
import { type AmendSubmissionInput, type SaveDraftInput, type SubmitAssessmentInput } from '../domain/validation';
import { type AssessmentTask, Instrument, InstrumentItem, Submission, SubmissionAmendment } from '../entities';
import { type EventMeta, outbox } from '../outbox';
import { publishEvaluation } from './evaluation-event';
import { publishTaskSubmitted } from './task-events';
import { observationsOf, writeObservations } from './observations';
import { assertOpen, lockTask } from './tasks';

/** What a submission command needs besides its input. */
export interface SubmissionOptions {
  now: Date;
  meta: EventMeta & { actorId: string };
  /** Runs on the locked task: FORBIDDEN unless the caller may work on it. */
  authorize: (task: AssessmentTask) => void;
}

async function itemsOf(em: EntityManager, instrumentId: string): Promise<InstrumentItemDef[]> {
  const rows = await em.getRepository(InstrumentItem).find({ where: { instrumentId }, order: { position: 'ASC' } });
  return rows.map((r) => ({
    key: r.key,
    label: r.label,
    category: r.category,
    required: r.required,
    scale: r.scale,
    competencyIds: r.competencyIds,
  }));
}

/** INVALID_RESPONSES naming every item at fault (the first in `field`, all in `fields`). */
function invalid(issues: ResponseIssue[]): Error {
  return refusal('INVALID_RESPONSES', `Invalid responses: ${issues.map((i) => i.message).join('; ')}`, {
    field: issues[0]?.path,
    fields: issues.map((i) => ({ path: i.path, message: i.message, itemKey: i.itemKey, reason: i.reason })),
  });
}

/**
 * Lays answers over earlier ones: an answer with a value replaces the item's, an empty one
 * (no rating, done, text or N/A) clears it. `complete`: the result must answer every required
 * item. Every problem is reported at once (the new answers' own, then what is still missing).
 */
function overlay(
  items: readonly InstrumentItemDef[],
  base: readonly ItemResponse[],
  input: readonly ResponseInput[],
  complete: boolean,
): ItemResponse[] {
  const checked = checkResponses(items, input, { complete: false });
  const merged = new Map(base.map((r) => [r.itemKey, r]));
  const given = new Map(checked.responses.map((r) => [r.itemKey, r]));
  const faulty = new Set(checked.issues.map((i) => i.itemKey));
  for (const r of input) {
    if (faulty.has(r.itemKey)) continue;
    const value = given.get(r.itemKey);
    if (value) merged.set(r.itemKey, value);
    else merged.delete(r.itemKey);
  }
  const responses = items.map((i) => merged.get(i.key)).filter((r): r is ItemResponse => r !== undefined);
  const missing = complete ? checkResponses(items, responses, { complete: true }).issues.filter((i) => !faulty.has(i.itemKey)) : [];
  const issues = [...checked.issues, ...missing];
  if (issues.length) throw invalid(issues.sort((a, b) => itemOrder(items, a.itemKey) - itemOrder(items, b.itemKey)));
  return responses;
}

/** Issues in the instrument's item order (unknown items last). */
const itemOrder = (items: readonly InstrumentItemDef[], key: string): number => {
  const i = items.findIndex((item) => item.key === key);
  return i < 0 ? items.length : i;
};

async function submissionOf(em: EntityManager, taskId: string): Promise<Submission | null> {
  return em.getRepository(Submission).findOneBy({ taskId });
}

/** Saves a partial answer of a pending task (values must lie on their scales; completeness is not asked). */
export async function saveDraft(em: EntityManager, input: SaveDraftInput, opts: SubmissionOptions): Promise<Submission> {
  const task = await lockTask(em, input.taskId);
  opts.authorize(task);
  assertOpen(task, opts.now);
  const items = await itemsOf(em, task.instrumentId);
  const existing = await submissionOf(em, task.id);
  const responses = overlay(items, existing?.responses ?? [], input.responses, false);
  const submission = em.getRepository(Submission).create({
    id: existing?.id ?? randomUUID(),
    taskId: task.id,
    status: 'DRAFT',
    responses,
    comment: input.comment ?? existing?.comment ?? null,
    createdAt: existing?.createdAt ?? opts.now,
    updatedAt: opts.now,
    submittedAt: null,
  });
  await em.getRepository(Submission).save(submission);
  return submission;
}

/**
 * Submits a pending task: the draft's answers with the given ones laid over them must answer
 * every required item, on its scale. The task becomes SUBMITTED, the competency observations
 * are written, and (for an assessment of a student) AssessmentSubmitted goes to the outbox —
 * all in the caller's transaction.
 */
export async function submitAssessment(em: EntityManager, input: SubmitAssessmentInput, opts: SubmissionOptions): Promise<Submission> {
  const task = await lockTask(em, input.taskId);
  opts.authorize(task);
  assertOpen(task, opts.now);
  const items = await itemsOf(em, task.instrumentId);
  const existing = await submissionOf(em, task.id);
  const responses = overlay(items, existing?.responses ?? [], input.responses, true);
  const submission = em.getRepository(Submission).create({
    id: existing?.id ?? randomUUID(),
    taskId: task.id,
    status: 'SUBMITTED',
    responses,
    comment: input.comment ?? existing?.comment ?? null,
    createdAt: existing?.createdAt ?? opts.now,
    updatedAt: opts.now,
    submittedAt: opts.now,
  });
  await em.getRepository(Submission).save(submission);
  await em.query(`UPDATE assessment_task SET status = 'SUBMITTED', submitted_at = $2 WHERE id = $1`, [task.id, opts.now]);
  await publishTaskSubmitted(em, task.id, opts.now, opts.meta);
  const observations = observationsOf(items, responses, { submissionId: submission.id, studentId: task.studentId, observedAt: opts.now });
  if (!isEvaluationRole(task.role)) {
    await writeObservations(em, submission.id, observations);
    await publish(em, task, submission, 1, observations, opts.meta);
  } else {
    await publishEvaluation(em, task, submission, items, opts.meta);
  }
  return submission;
}

/** The answers in force: the latest amendment's, else the submission's own. */
export async function responsesInForce(em: EntityManager, submission: Submission): Promise<{ responses: ItemResponse[]; version: number }> {
  const latest = await em
    .getRepository(SubmissionAmendment)
    .findOne({ where: { submissionId: submission.id }, order: { version: 'DESC' } });
  return latest ? { responses: latest.responses, version: latest.version } : { responses: submission.responses, version: 1 };
}

/**
 * Amends a submitted assessment of a student: records who, when, why and the answers after the
 * change (the submission itself is never changed), rebuilds its competency observations and
 * publishes AssessmentSubmitted with the next version. Evaluations of sites and teachers are
 * never amended: every version would be one more individual answer to compare.
 */
export async function amendSubmission(em: EntityManager, input: AmendSubmissionInput, opts: SubmissionOptions): Promise<Submission> {
  const submission = await em
    .getRepository(Submission)
    .createQueryBuilder('s')
    .setLock('pessimistic_write')
    .where('s.id = :id', { id: input.submissionId })
    .getOne();
  if (!submission) throw new NotFoundError('Submission', input.submissionId);
  const task = await lockTask(em, submission.taskId);
  opts.authorize(task);
  const instrument = (await em.getRepository(Instrument).findOneBy({ id: task.instrumentId })) as Instrument;
  if (isEvaluationRole(task.role) || isEvaluationKind(instrument.kind)) {
    throw refusal('EVALUATION_NOT_AMENDABLE', 'Evaluations of sites and teachers cannot be amended');
  }
  if (submission.status !== 'SUBMITTED')
    throw refusal('SUBMISSION_NOT_SUBMITTED', 'Only a submitted submission can be amended; a draft is simply saved again');
  const items = await itemsOf(em, task.instrumentId);
  const current = await responsesInForce(em, submission);
  const responses = overlay(items, current.responses, input.responses, true);
  const changed = changedItemKeys(current.responses, responses);
  if (!changed.length) throw refusal('AMENDMENT_CHANGES_NOTHING', 'The amendment changes no answer', { field: 'responses' });
  const version = current.version + 1;
  await em.getRepository(SubmissionAmendment).insert({
    submissionId: submission.id,
    version,
    responses,
    changedItemKeys: changed,
    reason: input.reason,
    amendedBy: opts.meta.actorId,
    amendedAt: opts.now,
  });
  const observations = observationsOf(items, responses, {
    submissionId: submission.id,
    studentId: task.studentId,
    observedAt: submission.submittedAt as Date,
  });
  await writeObservations(em, submission.id, observations);
  await publish(em, task, submission, version, observations, opts.meta);
  return submission;
}

async function publish(
  em: EntityManager,
  task: AssessmentTask,
  submission: Submission,
  version: number,
  observations: ReturnType<typeof observationsOf>,
  meta: EventMeta,
): Promise<void> {
  const instrument = (await em.getRepository(Instrument).findOneBy({ id: task.instrumentId })) as Instrument;
  if (isEvaluationKind(instrument.kind)) return;
  // The program (most recent active enrolment), the cohort and the module the task's placement
  // belongs to (the rule of evaluations, data/evaluation-event.ts), for quality's learner outcomes.
  const [enrolled] = (await em.query(
    `WITH e AS (SELECT program_id FROM known_enrollment WHERE student_id = $1 AND status = 'ACTIVE' ORDER BY changed_at DESC, id LIMIT 1)
     SELECT (SELECT program_id FROM e) AS program_id,
            (SELECT cohort_year FROM known_student WHERE id = $1) AS cohort_year,
            (SELECT m.module_id FROM known_placement p
               JOIN known_department_specialty d ON d.department_id = p.department_id
               JOIN known_program_module m ON m.program_id = (SELECT program_id FROM e) AND d.specialty = ANY(m.disciplines)
              WHERE p.id = $2::uuid ORDER BY m.position LIMIT 1) AS module_id`,
    [task.studentId, task.placementId],
  )) as { program_id: string | null; cohort_year: number | null; module_id: string | null }[];
  await outbox.append(
    em,
    AssessmentSubmitted,
    submission.id,
    {
      taskId: task.id,
      submissionId: submission.id,
      version,
      studentId: task.studentId,
      schoolId: task.schoolId,
      assessorId: task.assessorId,
      instrumentId: instrument.id,
      instrumentKind: instrument.kind as Exclude<typeof instrument.kind, 'SITE_EVALUATION' | 'TEACHER_EVALUATION'>,
      purpose: instrument.purpose,
      placementId: task.placementId,
      programId: enrolled?.program_id ?? null,
      cohortYear: enrolled?.cohort_year ?? null,
      blockId: task.blockId,
      moduleId: enrolled?.module_id ?? null,
      submittedAt: (submission.submittedAt as Date).toISOString(),
      competencyResults: observations.map((o) => ({
        competencyId: o.competencyId,
        itemKey: o.itemKey,
        scaleType: o.scaleType,
        entrustmentMode: o.entrustmentMode,
        value: o.value,
        min: o.min,
        max: o.max,
      })),
    },
    meta,
  );
}
