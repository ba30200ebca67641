import { Column, Entity, PrimaryColumn } from 'typeorm';
import { type Specialty } from '../domain/model';

/** "Complete between minBlocks and maxBlocks blocks among these specialties", per program (and track). */
@Entity('rotation_requirement_group')
export class RotationRequirementGroup {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid', name: 'school_id' })
  schoolId: string;

  /** Curriculum's Program id. */
  @Column({ type: 'uuid', name: 'program_id' })
  programId: string;

  /** Curriculum's Track id; null = every track of the program. */
  @Column({ type: 'uuid', name: 'track_id', nullable: true })
  trackId: string | null;

  /** Names the group in messages ("core electives"); unique per program and track. */
  @Column({ type: 'text' })
  label: string;

  @Column({ type: 'text', array: true })
  specialties: Specialty[];

  @Column({ type: 'int', name: 'min_blocks' })
  minBlocks: number;

  @Column({ type: 'int', name: 'max_blocks' })
  maxBlocks: number;

  @Column({ type: 'uuid', name: 'updated_by' })
  updatedBy: string;

  @Column({ type: 'timestamptz', name: 'updated_at' })
  updatedAt: Date;
}
