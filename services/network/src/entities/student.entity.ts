import { type PersonStatus } from '../domain/model';
import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A clinical medical student registered by their school; the id is their person id. */
@Entity('student')
export class Student {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid', name: 'school_id' })
  schoolId: string;

  @Column({ type: 'text', name: 'given_name' })
  givenName: string;

  @Column({ type: 'text', name: 'family_name' })
  familyName: string;

  /** Stored in lower case: it is the person's login identity. */
  @Column({ type: 'text' })
  email: string;

  @Column({ type: 'int', name: 'cohort_year' })
  cohortYear: number;

  @Column({ type: 'int', name: 'prior_clinical_years' })
  priorClinicalYears: number;

  /** The id the institution's own system gives this record (unique per institution); null until set. */
  @Column({ type: 'text', name: 'sourced_id', nullable: true })
  sourcedId: string | null;

  /** ACTIVE, or INACTIVE after leave, graduation or contract end (records are never deleted). */
  @Column({ type: 'text', default: 'ACTIVE' })
  status: PersonStatus;

  /** Why the status last changed, as the person who changed it wrote it. */
  @Column({ type: 'text', name: 'status_reason', nullable: true })
  statusReason: string | null;

  @Column({ type: 'timestamptz', name: 'status_changed_at', nullable: true })
  statusChangedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date;
}
