import { ensure, type Actor, readWithPolicy } from '@medcollab/kit';
import { type MentorshipContext } from '../context';
import {
  canReadMentorProfile,
  canReadMentorship,
  canReadStudentRecords,
  type MentorshipRef,
  type StudentRef,
} from '../domain/access-policy';
import { OPEN_MENTORSHIP_STATUSES } from '../domain/model';
import { type MentorProfile, type Mentorship } from '../entities';

export interface StudentFactsForAccess {
  student: StudentRef;
  mentorships: Mentorship[];
  /** Mentors of the student's open mentorships. */
  mentorIds: string[];
}

/** What the policy needs about a student, from two batched loads. */
export async function studentAccessFacts(ctx: MentorshipContext, studentId: string): Promise<StudentFactsForAccess> {
  const [known, mentorships] = await Promise.all([
    ctx.loaders.knownStudent.load(studentId),
    ctx.loaders.mentorshipsByStudent.load(studentId),
  ]);
  const mentorIds = mentorships.filter((m) => OPEN_MENTORSHIP_STATUSES.includes(m.status)).map((m) => m.mentorId);
  return { student: { id: studentId, schoolId: known?.schoolId ?? null }, mentorships, mentorIds };
}

/** FORBIDDEN unless the caller may read the student's mentoring records. */
export async function requireStudentRecords(ctx: MentorshipContext, studentId: string): Promise<StudentFactsForAccess> {
  const facts = await studentAccessFacts(ctx, studentId);
  ensure(canReadStudentRecords(ctx.actor, facts.student, facts.mentorIds), "You may not see this student's mentoring records");
  return facts;
}

export async function mentorshipRef(ctx: MentorshipContext, m: Mentorship): Promise<MentorshipRef> {
  return { mentorId: m.mentorId, schoolId: m.schoolId, menteeIds: await ctx.loaders.menteesByMentorship.load(m.id) };
}

/** Loads a mentorship and applies the read policy: null when missing, FORBIDDEN when not the caller's to see. */
export const readMentorship = (ctx: MentorshipContext, id: string): Promise<Mentorship | null> =>
  readWithPolicy(
    ctx.loaders.mentorship,
    id,
    async (m) => canReadMentorship(ctx.actor, await mentorshipRef(ctx, m)),
    'You may not see this mentorship',
  );

/** Whether the caller may see a mentor profile (partner schools batched per request). */
export async function mayReadProfile(ctx: MentorshipContext, p: MentorProfile): Promise<boolean> {
  const quick = canReadMentorProfile(ctx.actor, p, []);
  return quick || canReadMentorProfile(ctx.actor, p, await ctx.loaders.partnerSchools.load(p.institutionId));
}

export const isOpen = (m: Mentorship): boolean => OPEN_MENTORSHIP_STATUSES.includes(m.status);

export type { Actor };
