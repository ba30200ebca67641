import { randomUUID } from 'node:crypto';
import { BadUserInputError, NotFoundError } from '@medcollab/kit';
import { type EntityManager } from 'typeorm';
import { assessorEligible, grantActive, type PlacementFacts } from '../domain/access-policy';
import { manualFits } from '../domain/burden';
import { academicYear, isoWeek } from '../domain/calendar';
import { isEvaluationKind } from '../domain/model';
import { refusal } from '../domain/refusals';
import { type AssignAssessmentInput, type DeclineAssessmentInput } from '../domain/validation';
import { AssessmentTask, KnownPlacement, KnownStaff, KnownStudent } from '../entities';
import { type AssessmentSettings } from '../settings';
import { lockAssessorWeek } from './burden';
import { requireInstrument } from './instruments';
import { publishTaskDeclined, publishTasksAssigned } from './task-events';
import { type EventMeta } from '../outbox';

/** What a task command needs besides its input. */
export interface TaskCommandOptions {
  actorId: string;
  now: Date;
  settings: AssessmentSettings;
  /** Recorded with the task's lifecycle event. */
  meta?: EventMeta;
}

export async function requireKnownStudent(em: EntityManager, studentId: string): Promise<KnownStudent> {
  const student = await em.getRepository(KnownStudent).findOneBy({ id: studentId });
  if (!student)
    throw new BadUserInputError('studentId names no registered student (or their registration has not reached assessment yet)', {
      field: 'studentId',
    });
  return student;
}

/** The placement named, which must be the student's. */
export async function placementOfStudent(em: EntityManager, placementId: string | null, studentId: string): Promise<KnownPlacement | null> {
  if (!placementId) return null;
  const placement = await em.getRepository(KnownPlacement).findOneBy({ id: placementId });
  if (!placement) throw new BadUserInputError('placementId names no placement assessment knows of', { field: 'placementId' });
  if (placement.studentId !== studentId)
    throw refusal('PLACEMENT_MISMATCH', "placementId names another student's placement", { field: 'placementId' });
  return placement;
}

/**
 * Assigns a task by hand. The caller was authorized on the student and placement; here: the
 * instrument is a student assessment of the library or the student's school, the assessor
 * teaches or instructs at the student's school or at a hospital placing them now (the
 * placement's, when one is named), the due date is ahead, and the assessor's week has room.
 */
export async function assignAssessment(
  em: EntityManager,
  input: AssignAssessmentInput,
  student: KnownStudent,
  placement: KnownPlacement | null,
  opts: TaskCommandOptions,
): Promise<AssessmentTask> {
  const instrument = await requireInstrument(em, input.instrumentId);
  if (isEvaluationKind(instrument.kind)) {
    throw refusal('INSTRUMENT_NOT_ASSIGNABLE', 'Evaluations of sites and teachers come from placements; assign a student assessment', {
      field: 'instrumentId',
    });
  }
  if (instrument.ownerInstitutionId !== null && instrument.ownerInstitutionId !== student.schoolId) {
    throw refusal('INSTRUMENT_NOT_ASSIGNABLE', "The instrument belongs to another school; use the library's or the student's school's", {
      field: 'instrumentId',
    });
  }
  if (input.dueAt.getTime() <= opts.now.getTime()) throw refusal('DUE_DATE_PASSED', 'dueAt must be in the future', { field: 'dueAt' });
  const assessor = await em.getRepository(KnownStaff).findOneBy({ id: input.assessorId });
  if (!assessor) throw new BadUserInputError('assessorId names no registered staff member', { field: 'assessorId' });
  const hospitals = placement ? [placement.hospitalId] : await grantingHospitals(em, student.id, opts.now);
  if (!assessorEligible(assessor, student, hospitals)) {
    throw refusal(
      'ASSESSOR_NOT_ELIGIBLE',
      "The assessor must be a teacher or clinical instructor of the student's school or of a hospital placing the student",
      {
        field: 'assessorId',
      },
    );
  }
  const week = isoWeek(opts.now);
  const load = await lockAssessorWeek(em, assessor.id, week);
  if (!manualFits(load, opts.settings.weeklyCap)) {
    throw refusal(
      'ASSESSOR_WEEKLY_CAP',
      `The assessor already has ${load.length} tasks in ${week} (the cap is ${opts.settings.weeklyCap})`,
      {
        field: 'assessorId',
        week,
        cap: opts.settings.weeklyCap,
      },
    );
  }
  const task = em.getRepository(AssessmentTask).create({
    id: randomUUID(),
    instrumentId: instrument.id,
    role: 'ASSIGNED',
    status: 'PENDING',
    assessorId: assessor.id,
    studentId: student.id,
    schoolId: student.schoolId,
    subjectStaffId: null,
    subjectDepartmentId: null,
    placementId: placement?.id ?? null,
    hospitalId: placement?.hospitalId ?? null,
    blockId: placement?.blockId ?? null,
    dueAt: input.dueAt,
    assignedAt: opts.now,
    assignedBy: opts.actorId,
    week,
    academicYear: academicYear(opts.now, opts.settings.academicYearStartMonth),
    priority: null,
    declineReason: null,
    declinedAt: null,
    submittedAt: null,
    expiredAt: null,
  });
  await em.getRepository(AssessmentTask).insert(task);
  await publishTasksAssigned(em, [task.id], opts.now, opts.meta);
  return task;
}

/** Hospitals that may see the student now, through a placement that grants access. */
async function grantingHospitals(em: EntityManager, studentId: string, now: Date): Promise<string[]> {
  const placements = await em.getRepository(KnownPlacement).findBy({ studentId });
  return placements.filter((p) => grantActive(p as PlacementFacts, now)).map((p) => p.hospitalId);
}

/** Reads a task under a row lock, so concurrent steps on it run one after the other. */
export async function lockTask(em: EntityManager, id: string): Promise<AssessmentTask> {
  const task = await em
    .getRepository(AssessmentTask)
    .createQueryBuilder('t')
    .setLock('pessimistic_write')
    .where('t.id = :id', { id })
    .getOne();
  if (!task) throw new NotFoundError('Assessment task', id);
  return task;
}

/** Refuses work on a task that is not PENDING, or whose due date has passed. */
export function assertOpen(task: AssessmentTask, now: Date): void {
  if (task.status !== 'PENDING') throw refusal('TASK_NOT_PENDING', `The task is ${task.status}`, { status: task.status });
  if (task.dueAt.getTime() <= now.getTime())
    throw refusal('TASK_OVERDUE', 'The task is past its due date', { dueAt: task.dueAt.toISOString() });
}

/**
 * Declines a pending task with a reason, within the assessor's allowance for the task's academic
 * year (counted under a lock on that assessor and year, so two declines cannot both be the last).
 */
export async function declineAssessment(
  em: EntityManager,
  input: DeclineAssessmentInput,
  opts: TaskCommandOptions & { authorize: (t: AssessmentTask) => void },
): Promise<AssessmentTask> {
  const task = await lockTask(em, input.taskId);
  opts.authorize(task);
  assertOpen(task, opts.now);
  await em.query(`SELECT pg_advisory_xact_lock(hashtext('assessment.declines'), hashtext($1))`, [
    `${task.assessorId}:${task.academicYear}`,
  ]);
  const [{ n }] = (await em.query(
    `SELECT count(*)::int AS n FROM assessment_task WHERE assessor_id = $1 AND academic_year = $2 AND status = 'DECLINED'`,
    [task.assessorId, task.academicYear],
  )) as [{ n: number }];
  if (n >= opts.settings.declineLimit) {
    throw refusal('DECLINE_LIMIT_REACHED', `You have declined ${n} tasks in ${task.academicYear}, the most allowed`, {
      limit: opts.settings.declineLimit,
      academicYear: task.academicYear,
    });
  }
  await em.getRepository(AssessmentTask).update({ id: task.id }, { status: 'DECLINED', declineReason: input.reason, declinedAt: opts.now });
  await publishTaskDeclined(em, task.id, opts.now, input.reason, opts.meta);
  return { ...task, status: 'DECLINED', declineReason: input.reason, declinedAt: opts.now };
}
