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

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date;
}
