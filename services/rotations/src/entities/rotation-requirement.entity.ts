import { Column, Entity, PrimaryColumn } from 'typeorm';
import { type Specialty } from '../domain/model';

/** How many blocks of a specialty a program (and track) requires, and which modules come first. */
@Entity('rotation_requirement')
export class RotationRequirement {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid', name: 'school_id' })
  schoolId: string;

  /** Curriculum's Program id (rotations does not check it: curriculum owns programs). */
  @Column({ type: 'uuid', name: 'program_id' })
  programId: string;

  /** Curriculum's Track id; null = every track of the program. */
  @Column({ type: 'uuid', name: 'track_id', nullable: true })
  trackId: string | null;

  @Column({ type: 'text' })
  specialty: Specialty;

  @Column({ type: 'int' })
  blocks: number;

  /** Consecutive blocks one rotation lasts, at one department (`blocks` is a whole number of rotations). */
  @Column({ type: 'int', name: 'duration_blocks', default: 1 })
  durationBlocks: number;

  @Column({ type: 'uuid', name: 'prerequisite_module_ids', array: true })
  prerequisiteModuleIds: string[];

  @Column({ type: 'uuid', name: 'updated_by' })
  updatedBy: string;

  @Column({ type: 'timestamptz', name: 'updated_at' })
  updatedAt: Date;
}
