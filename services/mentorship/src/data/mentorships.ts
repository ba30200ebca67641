import { BadUserInputError, ConflictError, NotFoundError, toIsoDate } from '@medcollab/kit';
import { randomUUID } from 'node:crypto';
import { MentorshipChanged, MentorshipMeetingLogged } from '@medcollab/events';
import { type EntityManager } from 'typeorm';
import {
  checkAttendees,
  checkCanAddMentee,
  checkInitialMentees,
  checkMeetingDate,
  type MentorshipTransition,
  nextStatus,
} from '../domain/mentorship-rules';
import { type MentorshipFocus, type MentorshipFormat } from '../domain/model';
import { type CreateMentorshipInput, type LogMeetingInput } from '../domain/validation';
import { MentorMeeting, Mentorship, MentorshipMentee } from '../entities';
import { type EventMeta, outbox } from '../outbox';
import { activePartnersOf, lockMentors, openMentorIds } from './reach';

/**
 * Mentorship commands. Each runs in the caller's transaction; capacity is decided under the
 * mentor profile's row lock (lockMentors), so concurrent commands cannot overfill a mentor.
 */

export interface NewMentorship {
  mentorId: string;
  schoolId: string;
  format: MentorshipFormat;
  focus: MentorshipFocus;
  groupSizeLimit: number | null;
  menteeIds: readonly string[];
  matchingRunId?: string | null;
}

/**
 * Appends MentorshipChanged with the mentorship's state as this transaction leaves it (status
 * and current mentees, re-read here so every command reports the same way). Every change of
 * a mentorship's mentees or status calls it, in the command's transaction.
 */
async function recordMentorshipChanged(em: EntityManager, mentorshipId: string, meta: EventMeta): Promise<void> {
  const mentorship = await em.getRepository(Mentorship).findOneByOrFail({ id: mentorshipId });
  const mentees = await em.getRepository(MentorshipMentee).find({ where: { mentorshipId }, order: { position: 'ASC' } });
  await outbox.append(
    em,
    MentorshipChanged,
    mentorshipId,
    {
      mentorshipId,
      mentorId: mentorship.mentorId,
      schoolId: mentorship.schoolId,
      menteeIds: mentees.map((m) => m.studentId),
      status: mentorship.status,
    },
    meta,
  );
}

/** Writes a mentorship and its mentees, and its MentorshipChanged event; the caller has checked every rule. */
export async function insertMentorship(em: EntityManager, m: NewMentorship, meta: EventMeta): Promise<Mentorship> {
  const now = new Date();
  const row = await em.getRepository(Mentorship).save(
    em.getRepository(Mentorship).create({
      id: randomUUID(),
      mentorId: m.mentorId,
      schoolId: m.schoolId,
      format: m.format,
      focus: m.focus,
      status: 'ACTIVE',
      statusReason: null,
      groupSizeLimit: m.groupSizeLimit,
      matchingRunId: m.matchingRunId ?? null,
      createdAt: now,
      updatedAt: now,
      endedAt: null,
    }),
  );
  await em
    .getRepository(MentorshipMentee)
    .insert(m.menteeIds.map((studentId, position) => ({ mentorshipId: row.id, studentId, position, joinedAt: now })));
  await recordMentorshipChanged(em, row.id, meta);
  return row;
}

/** The mentor may take `adding` more of the school's students: profile, availability, format, reach, capacity. */
async function checkMentorTakes(
  em: EntityManager,
  mentorId: string,
  schoolId: string,
  format: MentorshipFormat,
  studentIds: readonly string[],
): Promise<void> {
  const mentor = (await lockMentors(em, [mentorId])).get(mentorId);
  if (!mentor) throw new BadUserInputError('The mentor has no mentor profile', { field: 'mentorId' });
  if (!mentor.acceptingMentees) throw new ConflictError('The mentor does not accept new mentees');
  if (!mentor.formats.includes(format)) throw new BadUserInputError(`The mentor does not offer ${format}`, { field: 'format' });
  if (mentor.institutionId !== schoolId) {
    const partners = await activePartnersOf(em, [schoolId], 'school');
    if (!partners.some((p) => p.hospitalId === mentor.institutionId)) {
      throw new ConflictError("The mentor is neither at the students' school nor at a partner hospital under an active agreement");
    }
  }
  const current = await openMentorIds(em, studentIds);
  const already = studentIds.filter((id) => current.get(id)?.includes(mentorId));
  if (already.length) throw new ConflictError('The mentor already mentors some of these students', { studentIds: already });
  if (mentor.menteeCount + studentIds.length > mentor.capacity) {
    throw new ConflictError(`The mentor has ${mentor.capacity - mentor.menteeCount} places left`, {
      capacity: mentor.capacity,
      menteeCount: mentor.menteeCount,
    });
  }
}

export async function createMentorship(
  em: EntityManager,
  input: CreateMentorshipInput,
  schoolId: string,
  meta: EventMeta,
): Promise<Mentorship> {
  checkInitialMentees(input, input.menteeIds.length);
  await checkMentorTakes(em, input.mentorId, schoolId, input.format, input.menteeIds);
  return insertMentorship(em, { ...input, schoolId }, meta);
}

/** Re-reads a mentorship under its row lock (its status and mentees decide what may happen). */
async function lockMentorship(em: EntityManager, id: string): Promise<{ mentorship: Mentorship; menteeIds: string[] }> {
  const mentorship = await em.getRepository(Mentorship).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  if (!mentorship) throw new NotFoundError('Mentorship', id);
  const mentees = await em.getRepository(MentorshipMentee).find({ where: { mentorshipId: id }, order: { position: 'ASC' } });
  return { mentorship, menteeIds: mentees.map((m) => m.studentId) };
}

export async function addMentee(
  em: EntityManager,
  mentorshipId: string,
  student: { id: string; schoolId: string },
  meta: EventMeta,
): Promise<Mentorship> {
  const { mentorship, menteeIds } = await lockMentorship(em, mentorshipId);
  if (menteeIds.includes(student.id)) throw new ConflictError('The student is already a mentee of this mentorship');
  checkCanAddMentee(mentorship, menteeIds.length);
  if (student.schoolId !== mentorship.schoolId)
    throw new BadUserInputError("The student is not at the mentorship's school", { field: 'studentId' });
  await checkMentorTakes(em, mentorship.mentorId, mentorship.schoolId, mentorship.format, [student.id]);
  await em
    .getRepository(MentorshipMentee)
    .insert({ mentorshipId, studentId: student.id, position: menteeIds.length, joinedAt: new Date() });
  await em.getRepository(Mentorship).update({ id: mentorshipId }, { updatedAt: new Date() });
  await recordMentorshipChanged(em, mentorshipId, meta);
  return mentorship;
}

export async function changeMentorshipStatus(
  em: EntityManager,
  id: string,
  transition: MentorshipTransition,
  reason: string | null,
  meta: EventMeta,
): Promise<Mentorship> {
  const { mentorship } = await lockMentorship(em, id);
  const status = nextStatus(mentorship.status, transition);
  const now = new Date();
  const changes = {
    status,
    statusReason: reason ?? mentorship.statusReason,
    updatedAt: now,
    endedAt: status === 'ENDED' ? now : null,
  };
  await em.getRepository(Mentorship).update({ id }, changes);
  await recordMentorshipChanged(em, id, meta);
  return { ...mentorship, ...changes };
}

/** Logs a meeting and its MentorshipMeetingLogged event (no notes: they stay with the mentorship). */
export async function logMeeting(
  em: EntityManager,
  input: LogMeetingInput,
  loggedById: string,
  meta: EventMeta,
  now = new Date(),
): Promise<MentorMeeting> {
  const { mentorship, menteeIds } = await lockMentorship(em, input.mentorshipId);
  if (mentorship.status !== 'ACTIVE')
    throw new ConflictError(`Meetings are logged only for ACTIVE mentorships; this one is ${mentorship.status}`);
  checkAttendees(input.attendeeIds, mentorship.mentorId, menteeIds);
  checkMeetingDate(input.date, toIsoDate(mentorship.createdAt), toIsoDate(now));
  const repo = em.getRepository(MentorMeeting);
  const meeting = await repo.save(
    repo.create({
      id: randomUUID(),
      mentorshipId: mentorship.id,
      metOn: input.date,
      attendeeIds: input.attendeeIds,
      notes: input.notes,
      loggedById,
      createdAt: now,
    }),
  );
  await outbox.append(
    em,
    MentorshipMeetingLogged,
    meeting.id,
    {
      meetingId: meeting.id,
      mentorshipId: mentorship.id,
      mentorId: mentorship.mentorId,
      schoolId: mentorship.schoolId,
      metOn: meeting.metOn,
      mentorAttended: meeting.attendeeIds.includes(mentorship.mentorId),
      attendingMenteeIds: meeting.attendeeIds.filter((id) => id !== mentorship.mentorId),
    },
    meta,
  );
  return meeting;
}
