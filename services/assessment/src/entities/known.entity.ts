import { Column, Entity, PrimaryColumn } from 'typeorm';
import { type CompetencyDomain } from '../domain/model';

/**
 * Projections of other services' events (src/projections): what assessment knows of the world
 * without ever reading another service's database. The network's facts (KnownStudent,
 * KnownStaff, KnownAgreement) are the shared ones of @medcollab/projections (ADR 0011).
 */

/** Placement* events: who is placed where, when, with whom, and how long the hospital may see them. */
@Entity('known_placement')
export class KnownPlacement {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid', name: 'student_id' })
  studentId: string;

  @Column({ type: 'uuid', name: 'school_id' })
  schoolId: string;

  @Column({ type: 'uuid', name: 'hospital_id' })
  hospitalId: string;

  @Column({ type: 'uuid', name: 'department_id' })
  departmentId: string;

  @Column({ type: 'uuid', name: 'block_id' })
  blockId: string;

  @Column({ type: 'uuid', name: 'supervisor_id', nullable: true })
  supervisorId: string | null;

  @Column({ type: 'date', name: 'starts_on' })
  startsOn: string;

  @Column({ type: 'date', name: 'ends_on' })
  endsOn: string;

  @Column({ type: 'text' })
  status: 'CONFIRMED' | 'IN_PROGRESS' | 'COMPLETED' | 'CANCELLED';

  @Column({ type: 'timestamptz', name: 'access_until', nullable: true })
  accessUntil: Date | null;

  @Column({ type: 'timestamptz', name: 'changed_at' })
  changedAt: Date;
}

/** EnrollmentChanged: a student's program (for the program's end-of-placement instrument). */
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

  @Column({ type: 'text' })
  status: 'ACTIVE' | 'WITHDRAWN';

  @Column({ type: 'timestamptz', name: 'changed_at' })
  changedAt: Date;
}

/** ProgramPublished: a program's modules in its order, with the disciplines each integrates (ADR 0031). */
@Entity('known_program_module')
export class KnownProgramModule {
  @PrimaryColumn({ type: 'uuid', name: 'program_id' })
  programId: string;

  @PrimaryColumn({ type: 'uuid', name: 'module_id' })
  moduleId: string;

  /** The module's place in the program's order (year, then creation), from 0. */
  @Column({ type: 'int' })
  position: number;

  @Column({ type: 'text', array: true, default: () => `'{}'` })
  disciplines: string[];
}

/** AgreementActivated's departmentSpecialties: a hospital department's specialty (ADR 0031). */
@Entity('known_department_specialty')
export class KnownDepartmentSpecialty {
  @PrimaryColumn({ type: 'uuid', name: 'department_id' })
  departmentId: string;

  @Column({ type: 'text' })
  specialty: string;
}

/** CompetencyFrameworkPublished: each competency's domain and place in its framework. */
@Entity('known_competency')
export class KnownCompetency {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid', name: 'framework_id' })
  frameworkId: string;

  @Column({ type: 'text' })
  code: string;

  @Column({ type: 'text' })
  domain: CompetencyDomain;

  @Column({ type: 'uuid', name: 'parent_id', nullable: true })
  parentId: string | null;
}

/** PostProfilePublished: a post profile's scale and required levels. */
@Entity('known_post_profile')
export class KnownPostProfile {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text', name: 'scale_name' })
  scaleName: string;

  @Column({ type: 'double precision', name: 'scale_min' })
  scaleMin: number;

  @Column({ type: 'double precision', name: 'scale_max' })
  scaleMax: number;

  @Column({ type: 'jsonb' })
  requirements: { competencyId: string; level: number }[];
}
