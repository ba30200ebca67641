import { type PersonStatus } from '../domain/model';
import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { type Role } from '@medcollab/kit';

/** A person working for an institution (admins, coordinators, teachers, instructors, mentors…). */
@Entity('staff_member')
export class StaffMember {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid', name: 'institution_id' })
  institutionId: string;

  @Column({ type: 'uuid', name: 'department_id', nullable: true })
  departmentId: string | null;

  @Column({ type: 'text', name: 'given_name' })
  givenName: string;

  @Column({ type: 'text', name: 'family_name' })
  familyName: string;

  /** Stored in lower case: it is the person's login identity. */
  @Column({ type: 'text' })
  email: string;

  @Column({ type: 'text', array: true })
  roles: Role[];

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
