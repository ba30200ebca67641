import { type AuditedTypes, type AuditOwners } from '@medcollab/kit';
import { type NotificationsContext } from './context';
import { type Notification } from './entities';

/**
 * The student records of notifications (ADR 0008, ADR 0028): a notification about a student — a
 * mentor notice (the mentee's placement started, a summative assessment came back below the
 * expected level) or a mentee-without-a-meeting reminder — tells its reader part of that
 * student's record, so every field a caller is shown is recorded as a read of the student's.
 * Whose school: notifications' own directory (the chain is the school's); a notification about
 * a student the directory does not know yet names no school and cannot be chained, so it is not
 * recorded (the directory's StudentRegistered arrives before any notice about the student).
 * Notifications about tasks, placements, windows or swaps name their recipient's own business.
 */
async function ofNotification(n: Notification, ctx: NotificationsContext): Promise<AuditOwners> {
  if (n.subjectType !== 'Student' || !n.subjectId) return null;
  const student = await ctx.loaders.person.load(n.subjectId);
  return student ? { id: n.id, studentId: n.subjectId, schoolId: student.institutionId } : null;
}

export const auditedTypes: AuditedTypes = {
  Notification: (n: Notification, ctx: NotificationsContext) => ofNotification(n, ctx),
};
