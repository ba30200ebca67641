import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * What mentorship knows of other services, written only by their events' handlers
 * (src/projections). A service never reads another's database.
 */

/** From the network's StudentRegistered. */
@Entity('known_student')
export class KnownStudent {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid', name: 'school_id' })
  schoolId: string;

  @Column({ type: 'int', name: 'cohort_year' })
  cohortYear: number;

  @Column({ type: 'int', name: 'prior_clinical_years' })
  priorClinicalYears: number;
}

/** From the network's StaffRegistered. */
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

/** From the network's AgreementActivated / AgreementEnded. */
@Entity('known_agreement')
export class KnownAgreement {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid', name: 'school_id' })
  schoolId: string;

  @Column({ type: 'uuid', name: 'hospital_id' })
  hospitalId: string;

  @Column({ type: 'date', name: 'starts_on' })
  startsOn: string;

  @Column({ type: 'date', name: 'ends_on' })
  endsOn: string;

  @Column({ type: 'text' })
  status: 'ACTIVE' | 'ENDED';

  @Column({ type: 'date', name: 'ended_on', nullable: true })
  endedOn: string | null;
}

/** From curriculum's EnrollmentChanged: the state of one enrolment after its latest change. */
@Entity('known_enrollment')
export class KnownEnrollment {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid', name: 'student_id' })
  studentId: string;

  @Column({ type: 'uuid', name: 'program_id' })
  programId: string;

  @Column({ type: 'uuid', name: 'school_id' })
  schoolId: string;

  @Column({ type: 'text', name: 'track_kind', nullable: true })
  trackKind: 'CLINICAL_PRACTICE' | 'RESEARCH' | 'SPECIALTY' | null;

  @Column({ type: 'boolean' })
  withdrawn: boolean;

  @Column({ type: 'timestamptz', name: 'changed_at' })
  changedAt: Date;
}
