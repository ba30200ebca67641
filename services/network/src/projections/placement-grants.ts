import { type EVENT_CONTRACTS, type EventEnvelope, type Handlers, type PayloadOf, type PlacementConfirmed } from '@medcollab/events';
import { type EntityManager } from 'typeorm';

/**
 * Hospital access grants from the rotations service's placement events. Every Placement*
 * event carries the placement's current terms and `accessUntil` (decided by rotations, so
 * every consumer agrees): the grant row simply takes the latest event's values, department and
 * supervisor included (instructors read only their department's and their supervisees' students). Events of one
 * placement arrive in order, and the upsert is idempotent, so a redelivery changes nothing.
 */
export async function applyPlacementGrant(em: EntityManager, p: PayloadOf<typeof PlacementConfirmed>): Promise<void> {
  // A deactivated student's grant ends at the deactivation, whatever a later placement event says.
  await em.query(
    `INSERT INTO hospital_access_grant (placement_id, student_id, hospital_id, department_id, supervisor_id, valid_until, updated_at)
     VALUES ($1, $2, $3, $4, $5,
             COALESCE((SELECT CASE WHEN $6::timestamptz IS NULL THEN s.status_changed_at ELSE LEAST($6::timestamptz, s.status_changed_at) END
                         FROM student s WHERE s.id = $2 AND s.status <> 'ACTIVE'), $6::timestamptz),
             now())
     ON CONFLICT (placement_id) DO UPDATE
       SET student_id = EXCLUDED.student_id, hospital_id = EXCLUDED.hospital_id, department_id = EXCLUDED.department_id,
           supervisor_id = EXCLUDED.supervisor_id, valid_until = EXCLUDED.valid_until, updated_at = now()`,
    [p.placementId, p.studentId, p.hospitalId, p.departmentId, p.supervisorId, p.accessUntil],
  );
}

const grant = (em: EntityManager, envelope: EventEnvelope<PayloadOf<typeof PlacementConfirmed>>) =>
  applyPlacementGrant(em, envelope.payload);

/** The network worker's handlers (src/worker.ts). */
export const placementGrantHandlers: Handlers<typeof EVENT_CONTRACTS> = {
  PlacementConfirmed: grant,
  PlacementStarted: grant,
  PlacementCompleted: grant,
  PlacementCancelled: grant,
  // The whole placement with its new supervisor: the instructor's grant to their supervisee follows.
  PlacementSupervisorAssigned: grant,
};
