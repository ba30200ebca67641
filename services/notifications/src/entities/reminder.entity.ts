import { Column, Entity, PrimaryColumn } from 'typeorm';
import { type Audience, type LadderStep } from '../domain/policy';

/** A school's reminder ladder and sending rules (absent: the defaults). */
@Entity('reminder_policy')
export class ReminderPolicyRow {
  @PrimaryColumn({ type: 'uuid', name: 'institution_id' })
  institutionId: string;

  @Column({ type: 'jsonb' })
  steps: LadderStep[];

  @Column({ type: 'int', name: 'quiet_from_hour' })
  quietFromHour: number;

  @Column({ type: 'int', name: 'quiet_until_hour' })
  quietUntilHour: number;

  @Column({ type: 'boolean', name: 'skip_weekends' })
  skipWeekends: boolean;

  @Column({ type: 'int', name: 'per_task_daily_cap' })
  perTaskDailyCap: number;

  @Column({ type: 'int', name: 'per_person_daily_cap' })
  perPersonDailyCap: number;

  @Column({ type: 'int', name: 'mentee_meeting_gap_weeks' })
  menteeMeetingGapWeeks: number;

  @Column({ type: 'int', name: 'mentee_meeting_escalation_weeks' })
  menteeMeetingEscalationWeeks: number;

  @Column({ type: 'uuid', name: 'updated_by' })
  updatedBy: string;

  @Column({ type: 'timestamptz', name: 'updated_at' })
  updatedAt: Date;
}

export type ReminderTaskStatus = 'OPEN' | 'SUBMITTED' | 'DECLINED' | 'EXPIRED' | 'WITHDRAWN';

/** An assessment task as its lifecycle events described it. */
@Entity('reminder_task')
export class ReminderTask {
  @PrimaryColumn({ type: 'uuid', name: 'task_id' })
  taskId: string;

  @Column({ type: 'text' })
  status: ReminderTaskStatus;

  @Column({ type: 'text' })
  role: string;

  @Column({ type: 'uuid', name: 'assessor_id' })
  assessorId: string;

  @Column({ type: 'uuid', name: 'student_id' })
  studentId: string;

  @Column({ type: 'uuid', name: 'school_id' })
  schoolId: string;

  @Column({ type: 'uuid', name: 'department_id', nullable: true })
  departmentId: string | null;

  @Column({ type: 'uuid', name: 'hospital_id', nullable: true })
  hospitalId: string | null;

  @Column({ type: 'uuid', name: 'placement_id', nullable: true })
  placementId: string | null;

  @Column({ type: 'text', name: 'instrument_title' })
  instrumentTitle: string;

  @Column({ type: 'timestamptz', name: 'due_at' })
  dueAt: Date;

  @Column({ type: 'timestamptz', name: 'settled_at', nullable: true })
  settledAt: Date | null;

  @Column({ type: 'timestamptz', name: 'updated_at' })
  updatedAt: Date;
}

/** PLANNED: has a job; DIGEST: its time came, it waits for the recipient's daily digest; FIRED; CANCELLED. */
export const STEP_STATUSES = ['PLANNED', 'DIGEST', 'FIRED', 'CANCELLED'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

/** Who a step tells: a rung of a task's ladder, one side of a placement about to start, or a mentee's mentor. */
export type StepAudience = Audience | 'STUDENT' | 'SUPERVISOR' | 'MENTOR';

/** A school's preference window as rotations' events described it. */
@Entity('reminder_preference_window')
export class ReminderPreferenceWindow {
  @PrimaryColumn({ type: 'uuid', name: 'window_id' })
  windowId: string;

  @Column({ type: 'uuid', name: 'school_id' })
  schoolId: string;

  @Column({ type: 'text', name: 'academic_year' })
  academicYear: string;

  @Column({ type: 'timestamptz', name: 'opens_at' })
  opensAt: Date;

  @Column({ type: 'timestamptz', name: 'closes_at' })
  closesAt: Date;

  @Column({ type: 'timestamptz', name: 'updated_at' })
  updatedAt: Date;
}

/** One rung of a task's (or a placement's) plan for one recipient; its id is the BullMQ job id. */
@Entity('reminder_step')
export class ReminderStep {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  /** The task the step reminds of; null for a placement's step. */
  @Column({ type: 'uuid', name: 'task_id', nullable: true })
  taskId: string | null;

  /** The placement the step reminds of (PLACEMENT_STARTING); null for a task's step. */
  @Column({ type: 'uuid', name: 'placement_id', nullable: true })
  placementId: string | null;

  /** The preference window the step reminds of (PREFERENCE_WINDOW_CLOSING); null otherwise. */
  @Column({ type: 'uuid', name: 'preference_window_id', nullable: true })
  preferenceWindowId: string | null;

  /** The swap request the step reminds of (SWAP_AWAITING_ANSWER); null otherwise. */
  @Column({ type: 'uuid', name: 'swap_id', nullable: true })
  swapId: string | null;

  /** The mentorship whose mentee has gone without a meeting (MENTEE_WITHOUT_MEETING); null otherwise. */
  @Column({ type: 'uuid', name: 'mentorship_id', nullable: true })
  mentorshipId: string | null;

  /** The mentee the step is about (with mentorship_id). */
  @Column({ type: 'uuid', name: 'mentee_id', nullable: true })
  menteeId: string | null;

  /** The daily digest that carries (or will carry) the step, for people who read digests. */
  @Column({ type: 'uuid', name: 'digest_id', nullable: true })
  digestId: string | null;

  @Column({ type: 'text', name: 'step_key' })
  stepKey: string;

  @Column({ type: 'text' })
  audience: StepAudience;

  @Column({ type: 'uuid', name: 'recipient_id' })
  recipientId: string;

  @Column({ type: 'timestamptz', name: 'nominal_at' })
  nominalAt: Date;

  @Column({ type: 'timestamptz', name: 'fire_at' })
  fireAt: Date;

  @Column({ type: 'text' })
  status: StepStatus;

  @Column({ type: 'timestamptz', name: 'fired_at', nullable: true })
  firedAt: Date | null;

  @Column({ type: 'text', name: 'cancel_reason', nullable: true })
  cancelReason: string | null;

  @Column({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date;
}

export type PlacementReminderStatus = 'CONFIRMED' | 'STARTED' | 'CANCELLED' | 'COMPLETED';

/** A placement as rotations' events described it (the placement-starting reminder). */
@Entity('reminder_placement')
export class ReminderPlacement {
  @PrimaryColumn({ type: 'uuid', name: 'placement_id' })
  placementId: string;

  @Column({ type: 'text' })
  status: PlacementReminderStatus;

  @Column({ type: 'uuid', name: 'student_id' })
  studentId: string;

  @Column({ type: 'uuid', name: 'supervisor_id', nullable: true })
  supervisorId: string | null;

  @Column({ type: 'uuid', name: 'school_id' })
  schoolId: string;

  @Column({ type: 'uuid', name: 'hospital_id' })
  hospitalId: string;

  @Column({ type: 'uuid', name: 'department_id' })
  departmentId: string;

  @Column({ type: 'uuid', name: 'block_id' })
  blockId: string;

  @Column({ type: 'date', name: 'starts_on' })
  startsOn: string;

  @Column({ type: 'date', name: 'ends_on' })
  endsOn: string;

  @Column({ type: 'timestamptz', name: 'updated_at' })
  updatedAt: Date;
}

/** One person's digest of one local day: unique per (recipient, day), so it is sent at most once. */
@Entity('reminder_digest')
export class ReminderDigest {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid', name: 'recipient_id' })
  recipientId: string;

  @Column({ type: 'date', name: 'local_day' })
  localDay: string;

  @Column({ type: 'timestamptz', name: 'fire_at' })
  fireAt: Date;

  @Column({ type: 'text' })
  status: 'PLANNED' | 'SENT' | 'EMPTY';

  @Column({ type: 'timestamptz', name: 'sent_at', nullable: true })
  sentAt: Date | null;

  @Column({ type: 'int', name: 'task_count', nullable: true })
  taskCount: number | null;
}
