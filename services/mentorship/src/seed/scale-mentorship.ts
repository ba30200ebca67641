import { bulkInsert, loadKnownNetworkFacts, type ScaleWorld } from '@medcollab/scale-world';
import { type DataSource } from 'typeorm';

/**
 * Writes mentorship's part of a generated world in bulk, in one transaction, into an empty
 * database: what it knows of the others (students, staff, agreements, enrollments), mentor
 * profiles, one-on-one mentorships with their mentee, meetings and development goals. Checked
 * first against mentorship's rules: a mentor never over capacity, one mentee per one-on-one
 * mentorship, a mentor and mentee of the same school, meetings attended by both.
 */
export async function loadScaleMentorship(ds: DataSource, world: ScaleWorld): Promise<Record<string, number>> {
  assertMentorshipRules(world);
  return ds.transaction(async (em) => {
    await em.query('SET LOCAL synchronous_commit = off');
    const counts: Record<string, number> = {};
    Object.assign(counts, await loadKnownNetworkFacts(em, world, ['known_student', 'known_staff', 'known_agreement']));
    counts.known_enrollment = await bulkInsert(
      em,
      'known_enrollment',
      [
        ['id', 'uuid'],
        ['student_id', 'uuid'],
        ['program_id', 'uuid'],
        ['school_id', 'uuid'],
        ['withdrawn', 'bool'],
        ['changed_at', 'timestamptz'],
      ],
      world.enrollments.map((e) => [e.id, e.studentId, e.programId, e.schoolId, false, e.enrolledAt]),
    );
    counts.mentor_profile = await bulkInsert(
      em,
      'mentor_profile',
      [
        ['id', 'uuid'],
        ['staff_id', 'uuid'],
        ['institution_id', 'uuid'],
        ['capacity', 'int'],
        ['specialties', 'text[]'],
        ['formats', 'text[]'],
        ['created_at', 'timestamptz'],
        ['updated_at', 'timestamptz'],
      ],
      world.mentors.map((m) => [
        m.id,
        m.staffId,
        m.institutionId,
        m.capacity,
        m.specialties,
        ['ONE_ON_ONE'],
        '2025-09-01T09:00:00.000Z',
        '2025-09-01T09:00:00.000Z',
      ]),
    );
    counts.mentorship = await bulkInsert(
      em,
      'mentorship',
      [
        ['id', 'uuid'],
        ['mentor_id', 'uuid'],
        ['school_id', 'uuid'],
        ['format', 'text'],
        ['focus', 'text'],
        ['status', 'text'],
        ['created_at', 'timestamptz'],
        ['updated_at', 'timestamptz'],
        ['ended_at', 'timestamptz'],
      ],
      world.mentorships.map((m) => [
        m.id,
        m.mentorId,
        m.schoolId,
        'ONE_ON_ONE',
        m.focus,
        m.status,
        m.createdAt,
        m.endedAt ?? m.createdAt,
        m.endedAt,
      ]),
    );
    counts.mentorship_mentee = await bulkInsert(
      em,
      'mentorship_mentee',
      [
        ['mentorship_id', 'uuid'],
        ['student_id', 'uuid'],
        ['position', 'int'],
        ['joined_at', 'timestamptz'],
      ],
      world.mentorships.map((m) => [m.id, m.studentId, 1, m.createdAt]),
    );
    counts.mentor_meeting = await bulkInsert(
      em,
      'mentor_meeting',
      [
        ['id', 'uuid'],
        ['mentorship_id', 'uuid'],
        ['met_on', 'date'],
        ['attendee_ids', 'uuid[]'],
        ['notes', 'text'],
        ['logged_by', 'uuid'],
        ['created_at', 'timestamptz'],
      ],
      world.meetings.map((m) => [
        m.id,
        m.mentorshipId,
        m.metOn,
        m.attendeeIds,
        'Reviewed the last block and set the next steps.',
        m.loggedBy,
        `${m.metOn}T16:00:00.000Z`,
      ]),
    );
    counts.development_goal = await bulkInsert(
      em,
      'development_goal',
      [
        ['id', 'uuid'],
        ['student_id', 'uuid'],
        ['title', 'text'],
        ['target_date', 'date'],
        ['status', 'text'],
        ['proposed_by', 'uuid'],
        ['accepted_at', 'timestamptz'],
        ['created_at', 'timestamptz'],
        ['updated_at', 'timestamptz'],
      ],
      world.goals.map((g) => [g.id, g.studentId, g.title, g.targetDate, g.status, g.proposedBy, g.createdAt, g.createdAt, g.createdAt]),
    );
    await em.query('ANALYZE');
    return counts;
  });
}

/** Throws on the first mentorship of the world that mentorship's rules would refuse. */
export function assertMentorshipRules(world: ScaleWorld): void {
  const capacity = new Map(world.mentors.map((m) => [m.staffId, m.capacity]));
  const schoolOfStaff = new Map(world.staff.map((s) => [s.id, s.institutionId]));
  const schoolOfStudent = new Map(world.students.map((s) => [s.id, s.schoolId]));
  const load = new Map<string, number>();
  const byId = new Map(world.mentorships.map((m) => [m.id, m]));
  for (const m of world.mentorships) {
    if (!capacity.has(m.mentorId)) throw new Error(`mentorship ${m.id}: the mentor has no mentor profile`);
    if (m.status === 'ACTIVE') load.set(m.mentorId, (load.get(m.mentorId) ?? 0) + 1);
    if ((load.get(m.mentorId) ?? 0) > capacity.get(m.mentorId)!) throw new Error(`mentorship ${m.id}: the mentor is over capacity`);
    if (schoolOfStaff.get(m.mentorId) !== m.schoolId || schoolOfStudent.get(m.studentId) !== m.schoolId) {
      throw new Error(`mentorship ${m.id}: mentor and mentee are not of the school`);
    }
  }
  for (const meeting of world.meetings) {
    const m = byId.get(meeting.mentorshipId);
    if (!m || !meeting.attendeeIds.includes(m.mentorId) || !meeting.attendeeIds.includes(m.studentId))
      throw new Error(`meeting ${meeting.id}: not attended by its mentorship`);
  }
}
