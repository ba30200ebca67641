import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { type EnrollmentStatus, type ModuleResultStatus } from '../domain/model';

/** A student's enrolment in a program, with their current track. */
@Entity('enrollment')
export class Enrollment {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid', name: 'student_id' })
  studentId: string;

  @Column({ type: 'uuid', name: 'program_id' })
  programId: string;

  /** The program's school, kept here so access checks need no join. */
  @Column({ type: 'uuid', name: 'school_id' })
  schoolId: string;

  @Column({ type: 'uuid', name: 'track_id', nullable: true })
  trackId: string | null;

  @Column({ type: 'text' })
  status: EnrollmentStatus;

  @Column({ type: 'timestamptz', name: 'enrolled_at' })
  enrolledAt: Date;

  @Column({ type: 'uuid', name: 'enrolled_by' })
  enrolledBy: string;

  @Column({ type: 'timestamptz', name: 'withdrawn_at', nullable: true })
  withdrawnAt: Date | null;

  @Column({ type: 'text', name: 'withdrawal_reason', nullable: true })
  withdrawalReason: string | null;
}

/** One change of an enrolment's track: who, when, from, to and why. */
@Entity('track_change')
export class TrackChange {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  /** Order of the changes (bigint, as text); set by the database. */
  @Column({ type: 'bigint', insert: false, update: false })
  seq: string;

  @Column({ type: 'uuid', name: 'enrollment_id' })
  enrollmentId: string;

  @Column({ type: 'uuid', name: 'from_track_id', nullable: true })
  fromTrackId: string | null;

  @Column({ type: 'uuid', name: 'to_track_id' })
  toTrackId: string;

  @Column({ type: 'uuid', name: 'changed_by' })
  changedBy: string;

  @CreateDateColumn({ type: 'timestamptz', name: 'changed_at' })
  changedAt: Date;

  @Column({ type: 'text' })
  reason: string;
}

/** A student's result in a module; completion for now (summative scores will come from assessment events). */
@Entity('module_result')
export class ModuleResult {
  @PrimaryColumn({ type: 'uuid', name: 'student_id' })
  studentId: string;

  @PrimaryColumn({ type: 'uuid', name: 'module_id' })
  moduleId: string;

  @Column({ type: 'uuid', name: 'enrollment_id' })
  enrollmentId: string;

  @Column({ type: 'text' })
  status: ModuleResultStatus;

  /** `YYYY-MM-DD`. */
  @Column({ type: 'date', name: 'completed_on' })
  completedOn: string;

  @Column({ type: 'uuid', name: 'recorded_by' })
  recordedBy: string;

  @CreateDateColumn({ type: 'timestamptz', name: 'recorded_at' })
  recordedAt: Date;
}
