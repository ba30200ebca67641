import { Column, Entity, PrimaryColumn } from 'typeorm';
import { type SamplingReason, type TaskRole, type TaskStatus } from '../domain/model';

/**
 * Someone has to fill in an instrument by a due date. `studentId` is the student assessed, or,
 * for an evaluation of a site or teacher, the student evaluating (who is then the assessor).
 */
@Entity('assessment_task')
export class AssessmentTask {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid', name: 'instrument_id' })
  instrumentId: string;

  @Column({ type: 'text' })
  role: TaskRole;

  @Column({ type: 'text' })
  status: TaskStatus;

  @Column({ type: 'uuid', name: 'assessor_id' })
  assessorId: string;

  @Column({ type: 'uuid', name: 'student_id' })
  studentId: string;

  @Column({ type: 'uuid', name: 'school_id' })
  schoolId: string;

  /** TEACHER_EVALUATION: the teacher evaluated. */
  @Column({ type: 'uuid', name: 'subject_staff_id', nullable: true })
  subjectStaffId: string | null;

  /** SITE_EVALUATION: the department evaluated. */
  @Column({ type: 'uuid', name: 'subject_department_id', nullable: true })
  subjectDepartmentId: string | null;

  @Column({ type: 'uuid', name: 'placement_id', nullable: true })
  placementId: string | null;

  @Column({ type: 'uuid', name: 'hospital_id', nullable: true })
  hospitalId: string | null;

  @Column({ type: 'uuid', name: 'block_id', nullable: true })
  blockId: string | null;

  @Column({ type: 'timestamptz', name: 'due_at' })
  dueAt: Date;

  @Column({ type: 'timestamptz', name: 'assigned_at' })
  assignedAt: Date;

  /** Who assigned it by hand; null when a placement event created it. */
  @Column({ type: 'uuid', name: 'assigned_by', nullable: true })
  assignedBy: string | null;

  /** The ISO week it counts against for the burden cap, e.g. 2026-W48. */
  @Column({ type: 'text' })
  week: string;

  /** The academic year it counts against for the decline limit, e.g. 2026-2027. */
  @Column({ type: 'text', name: 'academic_year' })
  academicYear: string;

  /** Sampling priority of a task created from a placement (lower is kept first); null when assigned by hand. */
  @Column({ type: 'text', nullable: true })
  priority: string | null;

  @Column({ type: 'text', name: 'decline_reason', nullable: true })
  declineReason: string | null;

  @Column({ type: 'timestamptz', name: 'declined_at', nullable: true })
  declinedAt: Date | null;

  @Column({ type: 'timestamptz', name: 'submitted_at', nullable: true })
  submittedAt: Date | null;

  @Column({ type: 'timestamptz', name: 'expired_at', nullable: true })
  expiredAt: Date | null;

  /** CANCELLED: why (e.g. the assessor was deactivated and no one could take the task over). */
  @Column({ type: 'text', name: 'cancel_reason', nullable: true })
  cancelReason: string | null;

  @Column({ type: 'timestamptz', name: 'cancelled_at', nullable: true })
  cancelledAt: Date | null;

  /** Set when the task was handed to another assessor: who had it, why and when. */
  @Column({ type: 'uuid', name: 'previous_assessor_id', nullable: true })
  previousAssessorId: string | null;

  @Column({ type: 'text', name: 'reassign_reason', nullable: true })
  reassignReason: string | null;

  @Column({ type: 'timestamptz', name: 'reassigned_at', nullable: true })
  reassignedAt: Date | null;

  /**
   * A placement task of a rotation longer than one block (ADR 0027 §8): the rotation, as people
   * read it ("Surgery at St Mary's (Central), Block 3 – Block 4"); null for a single-block placement.
   */
  @Column({ type: 'uuid', name: 'rotation_id', nullable: true })
  rotationId: string | null;

  @Column({ type: 'text', name: 'rotation_name', nullable: true })
  rotationName: string | null;

  /** The period a placement task assesses: the placement's, or the whole rotation's (null: assigned by hand, or older). */
  @Column({ type: 'date', name: 'covers_starts_on', nullable: true })
  coversStartsOn: string | null;

  @Column({ type: 'date', name: 'covers_ends_on', nullable: true })
  coversEndsOn: string | null;
}

/** A placement task that was not given, and why. */
@Entity('task_sampling')
export class TaskSampling {
  @PrimaryColumn({ type: 'uuid', name: 'placement_id' })
  placementId: string;

  @PrimaryColumn({ type: 'text' })
  role: TaskRole;

  @Column({ type: 'text' })
  reason: SamplingReason;

  @Column({ type: 'uuid', name: 'assessor_id', nullable: true })
  assessorId: string | null;

  @Column({ type: 'uuid', name: 'student_id' })
  studentId: string;

  @Column({ type: 'uuid', name: 'school_id' })
  schoolId: string;

  @Column({ type: 'uuid', name: 'instrument_id' })
  instrumentId: string;

  @Column({ type: 'text' })
  week: string;

  @Column({ type: 'text', nullable: true })
  priority: string | null;

  /** DISPLACED: the task that was withdrawn to make room (its id, for the record). */
  @Column({ type: 'uuid', name: 'displaced_task_id', nullable: true })
  displacedTaskId: string | null;

  @Column({ type: 'timestamptz', name: 'decided_at' })
  decidedAt: Date;
}
