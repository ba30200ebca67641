import { type PayloadOf, type PlacementConfirmed } from '@medcollab/events';
import { type EntityManager } from 'typeorm';
import { createPlacementTasks } from '../data/placement-tasks';
import { type AssessmentSettings } from '../settings';

type PlacementPayload = PayloadOf<typeof PlacementConfirmed>;
type PlacementStatus = 'CONFIRMED' | 'IN_PROGRESS' | 'COMPLETED' | 'CANCELLED';

/**
 * What rotations' placement events say about a placement: its parties, block, supervisor and
 * how long the hospital may see the student. Events of one placement arrive in order; a
 * completed or cancelled placement never goes back to an earlier state (a late or replayed
 * event, or the demo seed's projection meeting the real events, changes nothing).
 */
export async function projectPlacement(em: EntityManager, p: PlacementPayload, status: PlacementStatus): Promise<void> {
  await em.query(
    `INSERT INTO known_placement (id, student_id, school_id, hospital_id, department_id, block_id, supervisor_id, starts_on, ends_on, status, access_until, changed_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
     ON CONFLICT (id) DO UPDATE SET student_id = EXCLUDED.student_id, school_id = EXCLUDED.school_id, hospital_id = EXCLUDED.hospital_id,
       department_id = EXCLUDED.department_id, block_id = EXCLUDED.block_id, supervisor_id = EXCLUDED.supervisor_id,
       starts_on = EXCLUDED.starts_on, ends_on = EXCLUDED.ends_on, status = EXCLUDED.status, access_until = EXCLUDED.access_until,
       changed_at = EXCLUDED.changed_at
     WHERE known_placement.status NOT IN ('COMPLETED', 'CANCELLED') OR EXCLUDED.status IN ('COMPLETED', 'CANCELLED')`,
    [
      p.placementId,
      p.studentId,
      p.schoolId,
      p.hospitalId,
      p.departmentId,
      p.blockId,
      p.supervisorId,
      p.startsOn,
      p.endsOn,
      status,
      p.accessUntil,
      p.at,
    ],
  );
}

/**
 * A completed placement: projected, then its three end-of-placement tasks (exactly once). A part
 * of a rotation longer than one block (ADR 0027 §8) that is not its last gets none: the rotation
 * is assessed once, when its last part completes, and those tasks cover the whole rotation.
 */
export async function placementCompleted(em: EntityManager, p: PlacementPayload, settings: AssessmentSettings): Promise<void> {
  await projectPlacement(em, p, 'COMPLETED');
  if (p.rotation && p.rotation.part < p.rotation.parts) return;
  await createPlacementTasks(em, p, settings);
}
