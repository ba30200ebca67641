import { type AuditedTypes, type AuditOwner, type AuditOwners } from '@medcollab/kit';
import { type EntityManager } from 'typeorm';
import { type MentorshipContext } from './context';
import { type DevelopmentGoal, type MentorMeeting, type Mentorship } from './entities';

/**
 * The student records of mentorship (ADR 0008): a mentorship and its meetings are the record of
 * each of its mentees (a group's meeting is one entry per mentee), a development goal its
 * student's. Every field a caller resolves is recorded, by whatever path; a meeting's notes are
 * recorded by their resolver, only when it shows them (everyone else gets null).
 */
async function ofMentorship(ctx: MentorshipContext, id: string, m: Pick<Mentorship, 'id' | 'schoolId'>): Promise<AuditOwner[]> {
  const mentees = await ctx.loaders.menteesByMentorship.load(m.id);
  return mentees.map((studentId) => ({ id, studentId, schoolId: m.schoolId }));
}

async function ofMeeting(ctx: MentorshipContext, meeting: MentorMeeting): Promise<AuditOwners> {
  const m = await ctx.loaders.mentorship.load(meeting.mentorshipId);
  return m ? ofMentorship(ctx, meeting.id, m) : null;
}

export const auditedTypes: AuditedTypes = {
  Mentorship: (m: Mentorship, ctx: MentorshipContext) => ofMentorship(ctx, m.id, m),
  MentorMeeting: { identify: (meeting: MentorMeeting, ctx: MentorshipContext) => ofMeeting(ctx, meeting), resolverRecords: ['notes'] },
  DevelopmentGoal: async (g: DevelopmentGoal, ctx: MentorshipContext) => {
    const known = await ctx.loaders.knownStudent.load(g.studentId);
    return known ? { id: g.id, studentId: g.studentId, schoolId: known.schoolId } : null;
  },
};

/** Records that the caller was shown a meeting's notes (its resolver calls this when it shows them). */
export async function recordNotesRead(ctx: MentorshipContext, meeting: MentorMeeting): Promise<void> {
  const owners = await ofMeeting(ctx, meeting);
  for (const o of (owners ?? []) as AuditOwner[])
    ctx.audit.read('MentorMeeting', o.id, { studentId: o.studentId, schoolId: o.schoolId, fields: ['notes'] });
}

/**
 * Records a change of a mentorship or one of its meetings for each mentee, inside the command's
 * transaction (the mentees read through it, so a mentee just added counts).
 */
export async function recordMentorshipChange(
  ctx: MentorshipContext,
  em: EntityManager,
  record: { type: 'Mentorship' | 'MentorMeeting'; id: string },
  mentorship: Pick<Mentorship, 'id' | 'schoolId'>,
  change: string,
  opts: { fields?: string[]; reason?: string | null } = {},
): Promise<void> {
  const rows = (await em.query(`SELECT student_id FROM mentorship_mentee WHERE mentorship_id = $1`, [mentorship.id])) as {
    student_id: string;
  }[];
  for (const r of rows)
    ctx.audit.change(record.type, record.id, { studentId: r.student_id, schoolId: mentorship.schoolId, change, ...opts });
}

/** Records a change of a student's development goal (inside the command's transaction). */
export async function recordGoalChange(ctx: MentorshipContext, goal: DevelopmentGoal, change: string, fields?: string[]): Promise<void> {
  const known = await ctx.loaders.knownStudent.load(goal.studentId);
  if (known) ctx.audit.change('DevelopmentGoal', goal.id, { studentId: goal.studentId, schoolId: known.schoolId, change, fields });
}
