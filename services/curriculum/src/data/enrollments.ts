import { randomUUID } from 'node:crypto';
import { BadUserInputError, ConflictError, NotFoundError, toConnection, type Connection } from '@medcollab/kit';
import { EnrollmentChanged, ModuleCompleted } from '@medcollab/events';
import { type DataSource, type EntityManager } from 'typeorm';
import { isUuid } from '../domain/validation/common';
import {
  type ChangeTrackInput,
  type EnrollStudentInput,
  type RecordCompletionInput,
  type WithdrawStudentInput,
} from '../domain/validation/enrollments';
import { Enrollment, KnownStudent, ModuleResult, type Program, Track, TrackChange } from '../entities';
import { type EventMeta, outbox } from '../outbox';
import { lockProgram, requireModule } from './programs';
import { type CreateOptions, lockKey } from './transaction';

/**
 * Enrolments, their tracks and module completions. Every enrolment change appends
 * EnrollmentChanged to the outbox in the same transaction, carrying the state after the
 * change; every completion appends ModuleCompleted.
 */

/** The student as the network announced them, or BAD_USER_INPUT: we never enrol someone the network has not registered. */
async function requireKnownStudent(em: EntityManager, studentId: string): Promise<KnownStudent> {
  const student = await em.getRepository(KnownStudent).findOneBy({ id: studentId });
  if (!student) {
    throw new BadUserInputError('studentId names no registered student (or their registration has not reached the curriculum yet)', {
      field: 'studentId',
    });
  }
  return student;
}

async function requireTrackOf(em: EntityManager, programId: string, trackId: string): Promise<Track> {
  const track = await em.getRepository(Track).findOneBy({ id: trackId });
  if (track?.programId !== programId)
    throw new BadUserInputError("trackId must name a track of the enrolment's program", { field: 'trackId' });
  return track;
}

/** The student's active enrolment in the program, locked for the rest of the transaction, or NOT_FOUND. */
async function lockActiveEnrollment(em: EntityManager, studentId: string, programId: string): Promise<Enrollment> {
  const enrollment = await em
    .getRepository(Enrollment)
    .createQueryBuilder('e')
    .setLock('pessimistic_write')
    .where(`e.student_id = :studentId AND e.program_id = :programId AND e.status = 'ACTIVE'`, { studentId, programId })
    .getOne();
  if (!enrollment) throw new NotFoundError(`Active enrolment of student ${studentId} in program`, programId);
  return enrollment;
}

async function emit(
  em: EntityManager,
  enrollment: Enrollment,
  track: Track | null,
  change: 'ENROLLED' | 'TRACK_CHANGED' | 'WITHDRAWN',
  meta: EventMeta,
) {
  await outbox.append(
    em,
    EnrollmentChanged,
    enrollment.id,
    {
      enrollmentId: enrollment.id,
      studentId: enrollment.studentId,
      programId: enrollment.programId,
      schoolId: enrollment.schoolId,
      trackId: track?.id ?? null,
      trackKind: track?.kind ?? null,
      change,
    },
    meta,
  );
}

/** Enrols a registered student of the program's school, optionally on a track (recorded as the first history entry). */
export async function enrollStudent(
  em: EntityManager,
  input: EnrollStudentInput,
  actorId: string,
  meta: EventMeta,
  opts: CreateOptions & { now?: Date } = {},
): Promise<Enrollment> {
  const program: Program = await lockProgram(em, input.programId);
  await lockKey(em, 'enrolment', `${input.studentId}:${input.programId}`);
  const student = await requireKnownStudent(em, input.studentId);
  if (student.schoolId !== program.schoolId)
    throw new BadUserInputError("studentId names a student of another school than the program's", { field: 'studentId' });
  const track = input.trackId ? await requireTrackOf(em, program.id, input.trackId) : null;
  const active = await em.getRepository(Enrollment).existsBy({ studentId: student.id, programId: program.id, status: 'ACTIVE' });
  if (active) throw new ConflictError('The student is already enrolled in this program', { field: 'studentId' });

  const enrollment = em.getRepository(Enrollment).create({
    id: opts.id ?? randomUUID(),
    studentId: student.id,
    programId: program.id,
    schoolId: program.schoolId,
    trackId: track?.id ?? null,
    status: 'ACTIVE',
    enrolledAt: opts.now ?? new Date(),
    enrolledBy: actorId,
    withdrawnAt: null,
    withdrawalReason: null,
  });
  await em.getRepository(Enrollment).insert(enrollment);
  if (track) {
    await em.getRepository(TrackChange).insert({
      id: randomUUID(),
      enrollmentId: enrollment.id,
      fromTrackId: null,
      toTrackId: track.id,
      changedBy: actorId,
      reason: 'Enrolled on this track',
    });
  }
  await emit(em, enrollment, track, 'ENROLLED', meta);
  return enrollment;
}

/** Moves an active enrolment to another track of its program, keeping who, when, from, to and why. */
export async function changeTrack(em: EntityManager, input: ChangeTrackInput, actorId: string, meta: EventMeta): Promise<Enrollment> {
  const enrollment = await lockActiveEnrollment(em, input.studentId, input.programId);
  const track = await requireTrackOf(em, enrollment.programId, input.trackId);
  if (enrollment.trackId === track.id) throw new BadUserInputError('The student is already on this track', { field: 'trackId' });
  await em.getRepository(TrackChange).insert({
    id: randomUUID(),
    enrollmentId: enrollment.id,
    fromTrackId: enrollment.trackId,
    toTrackId: track.id,
    changedBy: actorId,
    reason: input.reason,
  });
  enrollment.trackId = track.id;
  await em.getRepository(Enrollment).update({ id: enrollment.id }, { trackId: track.id });
  await emit(em, enrollment, track, 'TRACK_CHANGED', meta);
  return enrollment;
}

export async function withdrawStudent(
  em: EntityManager,
  input: WithdrawStudentInput,
  meta: EventMeta,
  now: Date = new Date(),
): Promise<Enrollment> {
  const enrollment = await lockActiveEnrollment(em, input.studentId, input.programId);
  enrollment.status = 'WITHDRAWN';
  enrollment.withdrawnAt = now;
  enrollment.withdrawalReason = input.reason;
  await em
    .getRepository(Enrollment)
    .update({ id: enrollment.id }, { status: 'WITHDRAWN', withdrawnAt: now, withdrawalReason: input.reason });
  const track = enrollment.trackId ? await em.getRepository(Track).findOneBy({ id: enrollment.trackId }) : null;
  await emit(em, enrollment, track, 'WITHDRAWN', meta);
  return enrollment;
}

/**
 * Records (or re-dates) a completion for a student actively enrolled in the module's program,
 * and appends ModuleCompleted (aggregate: that enrolment) in the same transaction, so rotations
 * can check the prerequisites of its requirements.
 */
export async function recordModuleCompletion(
  em: EntityManager,
  input: RecordCompletionInput,
  actorId: string,
  today: string,
  meta: EventMeta,
): Promise<ModuleResult> {
  const module = await requireModule(em, input.moduleId);
  const enrollment = await em
    .getRepository(Enrollment)
    .findOneBy({ studentId: input.studentId, programId: module.programId, status: 'ACTIVE' });
  if (!enrollment)
    throw new BadUserInputError("studentId names no student actively enrolled in the module's program", { field: 'studentId' });
  const completedOn = input.completedOn ?? today;
  await em.query(
    `INSERT INTO module_result (student_id, module_id, enrollment_id, status, completed_on, recorded_by) VALUES ($1, $2, $3, 'COMPLETED', $4, $5)
     ON CONFLICT (student_id, module_id) DO UPDATE SET completed_on = EXCLUDED.completed_on, enrollment_id = EXCLUDED.enrollment_id,
       recorded_by = EXCLUDED.recorded_by, recorded_at = now()`,
    [input.studentId, module.id, enrollment.id, completedOn, actorId],
  );
  await outbox.append(
    em,
    ModuleCompleted,
    enrollment.id,
    {
      enrollmentId: enrollment.id,
      studentId: enrollment.studentId,
      moduleId: module.id,
      programId: enrollment.programId,
      schoolId: enrollment.schoolId,
      completedOn,
    },
    meta,
  );
  return (await em.getRepository(ModuleResult).findOneBy({ studentId: input.studentId, moduleId: module.id })) as ModuleResult;
}

/** Keyset page of a program's enrolments by (enrolled_at, id). */
export async function listProgramEnrollments(
  ds: DataSource,
  programId: string,
  page: { limit: number; afterKey: string | null },
): Promise<Connection<Enrollment>> {
  const qb = ds.getRepository(Enrollment).createQueryBuilder('e').where('e.program_id = :programId', { programId });
  if (page.afterKey) {
    const [at, id] = parseKey(page.afterKey);
    qb.andWhere('(e.enrolled_at, e.id) > (:at, :id)', { at, id });
  }
  const rows = await qb
    .orderBy('e.enrolled_at', 'ASC')
    .addOrderBy('e.id', 'ASC')
    .limit(page.limit + 1)
    .getMany();
  return toConnection(rows, page.limit, (e) => JSON.stringify([e.enrolledAt.toISOString(), e.id]));
}

function parseKey(key: string): [string, string] {
  try {
    const parsed: unknown = JSON.parse(key);
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      typeof parsed[0] === 'string' &&
      !Number.isNaN(Date.parse(parsed[0])) &&
      isUuid(String(parsed[1]))
    ) {
      return parsed as [string, string];
    }
  } catch {
    // fall through
  }
  throw new BadUserInputError('Invalid cursor', { field: 'after' });
}
