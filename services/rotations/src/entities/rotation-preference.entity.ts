import { Column, Entity, PrimaryColumn } from 'typeorm';
import { type Specialty } from '../domain/model';

/** One ranked choice of a student for an academic year; a submission replaces the whole list. */
@Entity('rotation_preference')
export class RotationPreference {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid', name: 'student_id' })
  studentId: string;

  @Column({ type: 'uuid', name: 'school_id' })
  schoolId: string;

  @Column({ type: 'text', name: 'academic_year' })
  academicYear: string;

  @Column({ type: 'int' })
  rank: number;

  @Column({ type: 'uuid', name: 'department_id', nullable: true })
  departmentId: string | null;

  @Column({ type: 'text', nullable: true })
  specialty: Specialty | null;

  @Column({ type: 'uuid', name: 'block_id', nullable: true })
  blockId: string | null;

  @Column({ type: 'timestamptz', name: 'submitted_at' })
  submittedAt: Date;
}
