import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * The network's facts as every consuming service keeps them: one naming (`Known*`, tables
 * `known_*`), one shape, written only by the handlers in ./handlers (and the rebuild, which
 * runs the same handlers). A service never reads the network's database.
 *
 * The columns are the union of what the services need. A column the network always sends but
 * a service's table gained only later (cohort_year in assessment, agreement dates in
 * assessment) is nullable: rows written before the column existed hold null until the
 * projection is rebuilt (`pnpm projections:rebuild`, docs/operations.md).
 *
 * The column sets are abstract classes, so a service that needs more of a fact declares its
 * own entity on the same table (`@Entity('known_student') class X extends KnownStudentColumns`)
 * and adds its columns, written by a handler it chains after the shared one (ADR 0011).
 */

/** A student (StudentRegistered, StudentUpdated, StudentStatusChanged). */
export abstract class KnownStudentColumns {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid', name: 'school_id' })
  schoolId: string;

  /** Null only in rows projected before the column existed (until a rebuild). */
  @Column({ type: 'int', name: 'cohort_year', nullable: true })
  cohortYear: number | null;

  /** Null only in rows projected before the column existed (until a rebuild). */
  @Column({ type: 'int', name: 'prior_clinical_years', nullable: true })
  priorClinicalYears: number | null;

  /** For messages people read; null while no event carrying it has arrived. */
  @Column({ type: 'text', name: 'given_name', nullable: true })
  givenName: string | null;

  @Column({ type: 'text', name: 'family_name', nullable: true })
  familyName: string | null;

  /** False while the school has the student deactivated (leave, graduation, withdrawal). */
  @Column({ type: 'boolean', default: true })
  active: boolean;

  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt: Date;
}

/** A staff member (StaffRegistered, StaffUpdated, StaffStatusChanged). */
export abstract class KnownStaffColumns {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

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

  /** False while the institution has the staff member deactivated (contract end, leave). */
  @Column({ type: 'boolean', default: true })
  active: boolean;

  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt: Date;
}

/** A school-hospital agreement (AgreementActivated, AgreementEnded). */
export abstract class KnownAgreementColumns {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid', name: 'school_id' })
  schoolId: string;

  @Column({ type: 'uuid', name: 'hospital_id' })
  hospitalId: string;

  @Column({ type: 'text' })
  status: 'ACTIVE' | 'ENDED';

  /** `YYYY-MM-DD` (TypeORM hydrates date columns as strings). Null only in rows projected before the column existed. */
  @Column({ type: 'date', name: 'starts_on', nullable: true })
  startsOn: string | null;

  @Column({ type: 'date', name: 'ends_on', nullable: true })
  endsOn: string | null;

  @Column({ type: 'date', name: 'ended_on', nullable: true })
  endedOn: string | null;

  /** The covered hospital departments (denormalised: an agreement is always read whole). */
  @Column({ type: 'uuid', name: 'department_ids', array: true, default: () => `'{}'` })
  departmentIds: string[];

  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt: Date;
}

@Entity('known_student')
export class KnownStudent extends KnownStudentColumns {}

@Entity('known_staff')
export class KnownStaff extends KnownStaffColumns {}

@Entity('known_agreement')
export class KnownAgreement extends KnownAgreementColumns {}
