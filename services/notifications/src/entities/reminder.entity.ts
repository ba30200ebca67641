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

  @Column({ type: 'uuid', name: 'updated_by' })
  updatedBy: string;

  @Column({ type: 'timestamptz', name: 'updated_at' })
  updatedAt: Date;
}

export type ReminderTaskStatus = 'OPEN' | 'SUBMITTED' | 'DECLINED' | 'EXPIRED';

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

export type StepStatus = 'PLANNED' | 'FIRED' | 'CANCELLED';

/** One rung of a task's plan for one recipient; its id is the BullMQ job id. */
@Entity('reminder_step')
export class ReminderStep {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid', name: 'task_id' })
  taskId: string;

  @Column({ type: 'text', name: 'step_key' })
  stepKey: string;

  @Column({ type: 'text' })
  audience: Audience;

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
