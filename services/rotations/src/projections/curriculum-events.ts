import {
  type EVENT_CONTRACTS,
  type EnrollmentChanged,
  type EventEnvelope,
  type Handlers,
  type ModuleCompleted,
  type PayloadOf,
} from '@medcollab/events';
import { type EntityManager } from 'typeorm';

/**
 * Projections of the curriculum's events: which program and track each student is enrolled on
 * (to find the rotation requirements that apply to them) and which modules they completed (the
 * requirements' prerequisites). Like the network's, each handler runs inside the consumer's
 * inbox transaction and is an idempotent upsert keyed by ids.
 */

/**
 * The enrolment's state after the change (events of one enrolment arrive in order). A
 * withdrawal is final: curriculum enrols a returning student under a new enrolment id, so a
 * replayed older event never makes a withdrawn enrolment active again.
 */
export async function projectEnrollmentChanged(em: EntityManager, p: PayloadOf<typeof EnrollmentChanged>): Promise<void> {
  await em.query(
    `INSERT INTO known_enrollment (id, student_id, program_id, school_id, track_id, status) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (id) DO UPDATE SET student_id = EXCLUDED.student_id, program_id = EXCLUDED.program_id, school_id = EXCLUDED.school_id,
       track_id = EXCLUDED.track_id, status = EXCLUDED.status
     WHERE known_enrollment.status = 'ACTIVE'`,
    [p.enrollmentId, p.studentId, p.programId, p.schoolId, p.trackId, p.change === 'WITHDRAWN' ? 'WITHDRAWN' : 'ACTIVE'],
  );
}

/** One row per student and module, as in curriculum; a re-dated completion takes the new date. */
export async function projectModuleCompleted(em: EntityManager, p: PayloadOf<typeof ModuleCompleted>): Promise<void> {
  await em.query(
    `INSERT INTO known_module_completion (student_id, module_id, enrollment_id, program_id, completed_on) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (student_id, module_id) DO UPDATE SET enrollment_id = EXCLUDED.enrollment_id, program_id = EXCLUDED.program_id,
       completed_on = EXCLUDED.completed_on`,
    [p.studentId, p.moduleId, p.enrollmentId, p.programId, p.completedOn],
  );
}

const payload =
  <P>(handler: (em: EntityManager, p: P) => Promise<void>) =>
  (em: EntityManager, envelope: EventEnvelope<P>) =>
    handler(em, envelope.payload);

/** The consumer's handlers of the curriculum events rotations subscribes to. */
export const curriculumEventHandlers: Handlers<typeof EVENT_CONTRACTS> = {
  EnrollmentChanged: payload(projectEnrollmentChanged),
  ModuleCompleted: payload(projectModuleCompleted),
};
