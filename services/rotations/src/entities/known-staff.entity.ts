import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Projection of the network's StaffRegistered: institution, department and roles of a staff member. */
@Entity('known_staff')
export class KnownStaff {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid', name: 'institution_id' })
  institutionId: string;

  @Column({ type: 'uuid', name: 'department_id', nullable: true })
  departmentId: string | null;

  @Column({ type: 'text', array: true })
  roles: string[];
}
