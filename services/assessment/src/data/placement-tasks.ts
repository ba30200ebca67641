import { randomUUID } from 'node:crypto';
import { type PayloadOf, type PlacementCompleted } from '@medcollab/events';
import { type EntityManager } from 'typeorm';
import { decideAutomatic, samplingPriority } from '../domain/burden';
import { academicYear, addDays, isoWeek } from '../domain/calendar';
import { type SamplingReason, type TaskRole } from '../domain/model';
import { libraryInstrumentId } from '../seed/instrument-library';
import { type AssessmentSettings } from '../settings';
import { lockAssessorWeek } from './burden';
import { placementInstrumentFor } from './placement-instrument';
import { returnedRows } from './sql';
import { publishTasksAssigned, publishTaskWithdrawn } from './task-events';

type Placement = PayloadOf<typeof PlacementCompleted>;
type PlacementRole = Exclude<TaskRole, 'ASSIGNED'>;

interface Candidate {
  role: PlacementRole;
  instrumentId: string;
  assessorId: string | null;
  subjectStaffId: string | null;
  subjectDepartmentId: string | null;
}

/**
 * The end-of-placement tasks of a completed placement: the supervisor assesses the student with
 * the program's instrument; the student evaluates the site and the teacher. The last part of a
 * rotation longer than one block gives them for the whole rotation (named, and covering all its
 * parts' dates; the earlier parts give none, ADR 0027 §8). Exactly once per
 * placement and role: a (placement, role) that already has a task or a sampling record is left
 * alone (the unique index is the last guard; the inbox is the first). Runs in the consumer's
 * transaction.
 */
export async function createPlacementTasks(em: EntityManager, p: Placement, settings: AssessmentSettings): Promise<void> {
  const at = new Date(p.at);
  const candidates: Candidate[] = [
    {
      role: 'SUPERVISOR_ASSESSMENT',
      instrumentId: await placementInstrumentFor(em, p.schoolId, p.studentId),
      assessorId: p.supervisorId,
      subjectStaffId: null,
      subjectDepartmentId: null,
    },
    {
      role: 'SITE_EVALUATION',
      instrumentId: libraryInstrumentId('site-evaluation'),
      assessorId: p.studentId,
      subjectStaffId: null,
      subjectDepartmentId: p.departmentId,
    },
    {
      role: 'TEACHER_EVALUATION',
      instrumentId: libraryInstrumentId('teacher-evaluation'),
      assessorId: p.supervisorId ? p.studentId : null,
      subjectStaffId: p.supervisorId,
      subjectDepartmentId: null,
    },
  ];
  const handled = (await em.query(
    `SELECT role FROM assessment_task WHERE placement_id = $1 AND role <> 'ASSIGNED' UNION SELECT role FROM task_sampling WHERE placement_id = $1`,
    [p.placementId],
  )) as { role: string }[];
  const done = new Set(handled.map((r) => r.role));
  for (const c of candidates) {
    if (done.has(c.role)) continue;
    await createOne(em, p, c, at, settings);
  }
}

async function createOne(em: EntityManager, p: Placement, c: Candidate, at: Date, settings: AssessmentSettings): Promise<void> {
  const week = isoWeek(at);
  if (!c.assessorId) {
    await recordSampling(em, p.placementId, c.role, 'NO_SUPERVISOR', {
      studentId: p.studentId,
      schoolId: p.schoolId,
      instrumentId: c.instrumentId,
      assessorId: null,
      week,
      priority: null,
      at,
    });
    return;
  }
  const [instrument] = (await em.query(`SELECT purpose FROM instrument WHERE id = $1`, [c.instrumentId])) as {
    purpose: 'FORMATIVE' | 'SUMMATIVE';
  }[];
  const priority = samplingPriority({
    assessorId: c.assessorId,
    week,
    placementId: p.placementId,
    role: c.role,
    purpose: instrument?.purpose ?? 'FORMATIVE',
  });
  const decision = decideAutomatic(await lockAssessorWeek(em, c.assessorId, week), priority, settings.weeklyCap);
  const facts = {
    studentId: p.studentId,
    schoolId: p.schoolId,
    instrumentId: c.instrumentId,
    assessorId: c.assessorId,
    week,
    priority,
    at,
  };
  if (decision.outcome === 'SAMPLED_OUT') {
    await recordSampling(em, p.placementId, c.role, 'WEEKLY_CAP', facts);
    return;
  }
  if (decision.outcome === 'ACCEPT_DISPLACING') await displace(em, decision.displacedTaskId, at);
  const inserted = returnedRows<{ id: string }>(
    await em.query(
      `INSERT INTO assessment_task (id, instrument_id, role, status, assessor_id, student_id, school_id, subject_staff_id, subject_department_id,
                                  placement_id, hospital_id, block_id, due_at, assigned_at, assigned_by, week, academic_year, priority,
                                  rotation_id, rotation_name, covers_starts_on, covers_ends_on)
     VALUES ($1, $2, $3, 'PENDING', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, NULL, $14, $15, $16, $17, $18, $19, $20)
     ON CONFLICT (placement_id, role) WHERE role <> 'ASSIGNED' DO NOTHING RETURNING id`,
      [
        randomUUID(),
        c.instrumentId,
        c.role,
        c.assessorId,
        p.studentId,
        p.schoolId,
        c.subjectStaffId,
        c.subjectDepartmentId,
        p.placementId,
        p.hospitalId,
        p.blockId,
        addDays(at, settings.dueDays),
        at,
        week,
        academicYear(at, settings.academicYearStartMonth),
        priority,
        p.rotation?.rotationId ?? null,
        p.rotation?.name ?? null,
        p.rotation?.startsOn ?? p.startsOn,
        p.rotation?.endsOn ?? p.endsOn,
      ],
    ),
  );
  await publishTasksAssigned(
    em,
    inserted.map((r) => r.id),
    at,
  );
}

/**
 * Withdraws an untouched task to make room for a better one, and records it as sampled out. The
 * task was announced (AssessmentTaskAssigned), so its withdrawal is announced too, in the same
 * transaction, before the row goes: reminders of it stop. The guard is repeated in the event's
 * query so a task answered meanwhile is neither announced nor deleted.
 */
async function displace(em: EntityManager, taskId: string, at: Date): Promise<void> {
  const [untouched] = (await em.query(
    `SELECT 1 FROM assessment_task WHERE id = $1 AND status = 'PENDING' AND NOT EXISTS (SELECT 1 FROM submission WHERE task_id = $1) FOR UPDATE`,
    [taskId],
  )) as unknown[];
  if (!untouched) return;
  await publishTaskWithdrawn(em, taskId, at);
  const [task] = returnedRows<{
    placement_id: string;
    role: PlacementRole;
    student_id: string;
    school_id: string;
    instrument_id: string;
    assessor_id: string;
    week: string;
    priority: string;
  }>(
    await em.query(
      `DELETE FROM assessment_task WHERE id = $1 AND status = 'PENDING' AND NOT EXISTS (SELECT 1 FROM submission WHERE task_id = $1)
       RETURNING placement_id, role, student_id, school_id, instrument_id, assessor_id, week, priority`,
      [taskId],
    ),
  );
  if (!task) return;
  await recordSampling(em, task.placement_id, task.role, 'DISPLACED', {
    studentId: task.student_id,
    schoolId: task.school_id,
    instrumentId: task.instrument_id,
    assessorId: task.assessor_id,
    week: task.week,
    priority: task.priority,
    at,
    displacedTaskId: taskId,
  });
}

async function recordSampling(
  em: EntityManager,
  placementId: string,
  role: PlacementRole,
  reason: SamplingReason,
  f: {
    studentId: string;
    schoolId: string;
    instrumentId: string;
    assessorId: string | null;
    week: string;
    priority: string | null;
    at: Date;
    displacedTaskId?: string;
  },
): Promise<void> {
  await em.query(
    `INSERT INTO task_sampling (placement_id, role, reason, assessor_id, student_id, school_id, instrument_id, week, priority, displaced_task_id, decided_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (placement_id, role) DO NOTHING`,
    [placementId, role, reason, f.assessorId, f.studentId, f.schoolId, f.instrumentId, f.week, f.priority, f.displacedTaskId ?? null, f.at],
  );
}
