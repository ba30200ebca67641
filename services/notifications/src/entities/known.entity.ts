import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * What notifications knows of the network, written only by its events' handlers
 * (src/projections): who people are, how to address them, and the time zone they live in.
 */
@Entity('known_institution')
export class KnownInstitution {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  kind: 'SCHOOL' | 'HOSPITAL';

  @Column({ type: 'text' })
  timezone: string;
}

@Entity('known_department')
export class KnownDepartment {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid', name: 'institution_id' })
  institutionId: string;

  @Column({ type: 'text' })
  name: string;
}

/** A student or staff member (from StudentRegistered / StaffRegistered). */
@Entity('known_person')
export class KnownPerson {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'text' })
  kind: 'STUDENT' | 'STAFF';

  @Column({ type: 'uuid', name: 'institution_id' })
  institutionId: string;

  @Column({ type: 'uuid', name: 'department_id', nullable: true })
  departmentId: string | null;

  @Column({ type: 'text', array: true })
  roles: string[];

  @Column({ type: 'text', name: 'given_name', nullable: true })
  givenName: string | null;

  @Column({ type: 'text', name: 'family_name', nullable: true })
  familyName: string | null;

  @Column({ type: 'text', nullable: true })
  email: string | null;
}
