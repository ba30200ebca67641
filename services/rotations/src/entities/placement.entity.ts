import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { type PlacementStatus } from '../domain/model';

/** A student's rotation at a hospital department in one block. */
@Entity('placement')
export class Placement {
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

  @Column({ type: 'text' })
  status: PlacementStatus;

  /** Copied from the block when placed (or moved), so lists sort and feeds render without a join. */
  @Column({ type: 'date', name: 'starts_on' })
  startsOn: string;

  @Column({ type: 'date', name: 'ends_on' })
  endsOn: string;

  /** The hospital's access through this placement: null while it runs (or before it is confirmed). */
  @Column({ type: 'timestamptz', name: 'access_until', nullable: true })
  accessUntil: Date | null;

  @Column({ type: 'text', name: 'cancel_reason', nullable: true })
  cancelReason: string | null;

  /**
   * The rotation longer than one block this placement is a part of (ADR 0027 §8): one placement
   * per spanned block, linked here; null for a placement that is a rotation on its own.
   */
  @Column({ type: 'uuid', name: 'rotation_id', nullable: true })
  rotationId: string | null;

  /** Which part (1-based) of `rotationParts`. */
  @Column({ type: 'int', name: 'rotation_part', nullable: true })
  rotationPart: number | null;

  @Column({ type: 'int', name: 'rotation_parts', nullable: true })
  rotationParts: number | null;

  /** As the allocation named it: "Surgery at St Mary's (Central), Block 3 – Block 4". */
  @Column({ type: 'text', name: 'rotation_name', nullable: true })
  rotationName: string | null;

  /** The whole rotation's first and last day (all its parts). */
  @Column({ type: 'date', name: 'rotation_starts_on', nullable: true })
  rotationStartsOn: string | null;

  @Column({ type: 'date', name: 'rotation_ends_on', nullable: true })
  rotationEndsOn: string | null;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date;

  @Column({ type: 'timestamptz', name: 'updated_at' })
  updatedAt: Date;
}
