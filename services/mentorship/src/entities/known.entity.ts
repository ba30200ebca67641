import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * What mentorship knows of other services, written only by their events' handlers
 * (src/projections). A service never reads another's database. The network's facts
 * (KnownStudent, KnownStaff, KnownAgreement) are the shared ones of @medcollab/projections (ADR 0011).
 */

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
