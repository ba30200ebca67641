import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Projection of the curriculum's EnrollmentChanged: a student's enrolment, its program and track. */
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

  /** The track after the latest change; null while the student has none. */
  @Column({ type: 'uuid', name: 'track_id', nullable: true })
  trackId: string | null;

  @Column({ type: 'text' })
  status: 'ACTIVE' | 'WITHDRAWN';
}
