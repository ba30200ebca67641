import { z } from 'zod';
import { defineEvent } from '../contract';

/**
 * A student's enrolment in a program changed: they were enrolled, moved to another track, or
 * withdrew. Aggregate: the enrolment (events of one enrolment arrive in order). The payload
 * carries the state after the change, so a consumer can apply it without asking back.
 */
export const EnrollmentChanged = defineEvent(
  'EnrollmentChanged',
  1,
  'Enrollment',
  z.object({
    enrollmentId: z.uuid(),
    studentId: z.uuid(),
    programId: z.uuid(),
    schoolId: z.uuid(),
    /** The track after the change; null while the student has none. */
    trackId: z.uuid().nullable(),
    trackKind: z.enum(['CLINICAL_PRACTICE', 'RESEARCH', 'SPECIALTY']).nullable(),
    change: z.enum(['ENROLLED', 'TRACK_CHANGED', 'WITHDRAWN']),
  }),
);
