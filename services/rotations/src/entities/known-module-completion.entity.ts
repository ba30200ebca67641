import { Column, Entity, PrimaryColumn } from 'typeorm';

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
