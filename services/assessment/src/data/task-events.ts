import {
  AssessmentTaskAssigned,
  AssessmentTaskCancelled,
  AssessmentTaskDeclined,
  AssessmentTaskExpired,
  AssessmentTaskRescheduled,
  AssessmentTaskSubmitted,
  AssessmentTaskWithdrawn,
  consumersOf,
  type EventContract,
  type PayloadOf,
  ROUTES,
} from '@medcollab/events';
import { type EntityManager } from 'typeorm';
import { type EventMeta, outbox } from '../outbox';
import { evaluatorPseudonym } from './evaluation-event';

/**
 * The task lifecycle events (AssessmentTaskAssigned / Submitted / Declined / Expired / Withdrawn), written in
 * the caller's transaction so a reminder service never hears of a change that did not commit,
 * nor misses one that did. The facts are read back from the task row (with its instrument and
 * placement), so every event of a task carries the same description of it.
 */
type TaskFacts = Omit<PayloadOf<typeof AssessmentTaskAssigned>, 'assignedAt'>;

interface TaskFactsRow {
  taskId: string;
  assessorId: string;
  role: TaskFacts['role'];
  instrumentId: string;
  instrumentKind: TaskFacts['instrumentKind'];
  instrumentTitle: string;
  purpose: TaskFacts['purpose'];
  studentId: string;
  schoolId: string;
  subjectStaffId: string | null;
  departmentId: string | null;
  placementId: string | null;
  hospitalId: string | null;
  blockId: string | null;
  dueAt: Date;
}

async function taskFacts(em: EntityManager, taskIds: readonly string[]): Promise<TaskFacts[]> {
  if (!taskIds.length) return [];
  const rows = (await em.query(
    `SELECT t.id AS "taskId", t.assessor_id AS "assessorId", t.role, t.instrument_id AS "instrumentId", i.kind AS "instrumentKind",
            i.title AS "instrumentTitle", i.purpose, t.student_id AS "studentId", t.school_id AS "schoolId",
            t.subject_staff_id AS "subjectStaffId", COALESCE(t.subject_department_id, p.department_id) AS "departmentId",
            t.placement_id AS "placementId", t.hospital_id AS "hospitalId", t.block_id AS "blockId", t.due_at AS "dueAt"
       FROM assessment_task t JOIN instrument i ON i.id = t.instrument_id LEFT JOIN known_placement p ON p.id = t.placement_id
      WHERE t.id = ANY($1::uuid[]) ORDER BY t.id`,
    [taskIds],
  )) as TaskFactsRow[];
  return rows.map((r) => ({ ...r, dueAt: new Date(r.dueAt).toISOString() }));
}

/**
 * Consumers that count evaluation tasks but must never learn who evaluates (issue 13: "the
 * evaluator identity never reaches quality"; ADR 0053). An evaluation task's assessor is the
 * evaluating student, whom notifications must know to remind; quality counts the task at its
 * department and hospital only.
 */
const EVALUATOR_BLIND: ReadonlySet<string> = new Set(['quality']);
const EVALUATION_ROLES: ReadonlySet<string> = new Set(['SITE_EVALUATION', 'TEACHER_EVALUATION']);

/**
 * The evaluator's keyed pseudonym (`evaluatorPseudonym`, under ASSESSMENT_EVALUATOR_PSEUDONYM_KEY)
 * written as a UUID (version 8, "custom": RFC 9562), so the contract's id fields keep their form
 * while holding nobody's id.
 */
export function pseudonymousId(personId: string, key?: string): string {
  const h = evaluatorPseudonym(personId, key);
  const variant = (8 | (parseInt(h[16]!, 16) & 3)).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** An evaluation task's event as quality receives it: the evaluator as a pseudonym, no placement (whose events name the student). */
export function withoutEvaluator<P extends TaskFacts & { previousAssessorId?: string }>(payload: P, key?: string): P {
  const evaluator = pseudonymousId(payload.assessorId, key);
  return {
    ...payload,
    assessorId: evaluator,
    studentId: evaluator,
    placementId: null,
    ...(payload.previousAssessorId === undefined ? {} : { previousAssessorId: pseudonymousId(payload.previousAssessorId, key) }),
  };
}

async function publishEach<C extends EventContract>(
  em: EntityManager,
  contract: C,
  taskIds: readonly string[],
  extra: Omit<PayloadOf<C>, keyof TaskFacts>,
  meta: EventMeta = {},
): Promise<void> {
  for (const facts of await taskFacts(em, taskIds)) {
    const payload = { ...facts, ...extra } as PayloadOf<C>;
    if (!EVALUATION_ROLES.has(facts.role)) {
      await outbox.append(em, contract, facts.taskId, payload, meta);
      continue;
    }
    // An evaluation task: one event as it is for those who remind the student, one for the
    // evaluator-blind consumers with the student pseudonymised and without the request's actor
    // (the student) or id — the same change, two readers (AppendOptions.only).
    const routed = consumersOf(ROUTES, contract.name);
    const named = routed.filter((c) => !EVALUATOR_BLIND.has(c));
    const blind = routed.filter((c) => EVALUATOR_BLIND.has(c));
    if (named.length) await outbox.append(em, contract, facts.taskId, payload, { ...meta, only: named });
    if (blind.length)
      await outbox.append(em, contract, facts.taskId, withoutEvaluator(payload as TaskFacts) as PayloadOf<C>, { only: blind });
  }
}

export const publishTasksAssigned = (em: EntityManager, taskIds: readonly string[], at: Date, meta?: EventMeta) =>
  publishEach(em, AssessmentTaskAssigned, taskIds, { assignedAt: at.toISOString() }, meta);

export const publishTaskSubmitted = (em: EntityManager, taskId: string, at: Date, meta?: EventMeta) =>
  publishEach(em, AssessmentTaskSubmitted, [taskId], { submittedAt: at.toISOString() }, meta);

export const publishTaskDeclined = (em: EntityManager, taskId: string, at: Date, reason: string, meta?: EventMeta) =>
  publishEach(em, AssessmentTaskDeclined, [taskId], { declinedAt: at.toISOString(), reason }, meta);

export const publishTasksExpired = (em: EntityManager, taskIds: readonly string[], at: Date) =>
  publishEach(em, AssessmentTaskExpired, taskIds, { expiredAt: at.toISOString() });

/** Must run before the task row is deleted (its facts are read back from it). */
export const publishTaskWithdrawn = (em: EntityManager, taskId: string, at: Date) =>
  publishEach(em, AssessmentTaskWithdrawn, [taskId], { withdrawnAt: at.toISOString(), reason: 'DISPLACED' as const });

/** The task was handed to another assessor (the facts carry the new one); its due date stays. */
export const publishTaskReassigned = (
  em: EntityManager,
  taskId: string,
  previousAssessorId: string,
  dueAt: Date,
  at: Date,
  meta?: EventMeta,
) =>
  publishEach(
    em,
    AssessmentTaskRescheduled,
    [taskId],
    { previousDueAt: dueAt.toISOString(), previousAssessorId, changedAt: at.toISOString() },
    meta,
  );

export const publishTaskCancelled = (em: EntityManager, taskId: string, at: Date, reason: string, meta?: EventMeta) =>
  publishEach(em, AssessmentTaskCancelled, [taskId], { cancelledAt: at.toISOString(), reason }, meta);
