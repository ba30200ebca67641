import { createHash } from 'node:crypto';

/** A student as a distinct contributor (learner outcomes, mentees): a keyed pseudonym, never the id. */
export const studentPseudonym = (studentId: string): string =>
  createHash('sha256').update(`quality-student:${studentId}`).digest('hex').slice(0, 32);
