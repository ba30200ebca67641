import { Column, Entity, PrimaryColumn } from 'typeorm';
import { type Specialty } from '../domain/model';

/** "Every block of `before` comes earlier than every block of `after`", per program (and track). */
@Entity('rotation_precedence')
export class RotationPrecedence {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid', name: 'school_id' })
  schoolId: string;

  @Column({ type: 'uuid', name: 'program_id' })
  programId: string;

  /** null = every track of the program. */
  @Column({ type: 'uuid', name: 'track_id', nullable: true })
  trackId: string | null;

  @Column({ type: 'text', name: 'before_specialty' })
  before: Specialty;

  @Column({ type: 'text', name: 'after_specialty' })
  after: Specialty;

  @Column({ type: 'uuid', name: 'updated_by' })
  updatedBy: string;

  @Column({ type: 'timestamptz', name: 'updated_at' })
  updatedAt: Date;
}
