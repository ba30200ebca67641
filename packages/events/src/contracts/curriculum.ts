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

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD');

/**
 * A student completed a module of their program (or its completion was re-dated: the event is
 * sent again with the new date). Aggregate: the enrolment the completion was recorded under,
 * like EnrollmentChanged, so a consumer of both sees an enrolment's start, its completions and
 * its withdrawal in the order they happened.
 */
export const ModuleCompleted = defineEvent(
  'ModuleCompleted',
  1,
  'Enrollment',
  z.object({
    enrollmentId: z.uuid(),
    studentId: z.uuid(),
    moduleId: z.uuid(),
    programId: z.uuid(),
    schoolId: z.uuid(),
    completedOn: isoDate,
  }),
);
