import { Column, Entity, PrimaryColumn } from 'typeorm';
import { type Specialty } from '../domain/model';

/**
 * Rotations' own projections of other services' events (src/projections). The network's facts
 * (KnownStudent, KnownStaff, KnownAgreement) are the shared ones of @medcollab/projections
 * (ADR 0011); what rotations learns besides (departments' hospitals and specialties, the
 * curriculum's enrolments and completed modules) lives here.
 */

/** Which institution a department belongs to, learnt from agreements and staff registrations. */
@Entity('known_department')
export class KnownDepartment {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid', name: 'institution_id' })
  institutionId: string;

  /** From AgreementActivated; null while unknown (or when the department has none). */
  @Column({ type: 'text', nullable: true })
  specialty: Specialty | null;
}

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

/** Projection of the curriculum's ModuleCompleted: one row per student and completed module. */
@Entity('known_module_completion')
export class KnownModuleCompletion {
  @PrimaryColumn({ type: 'uuid', name: 'student_id' })
  studentId: string;

  @PrimaryColumn({ type: 'uuid', name: 'module_id' })
  moduleId: string;

  @Column({ type: 'uuid', name: 'enrollment_id' })
  enrollmentId: string;

  @Column({ type: 'uuid', name: 'program_id' })
  programId: string;

  @Column({ type: 'date', name: 'completed_on' })
  completedOn: string;
}
