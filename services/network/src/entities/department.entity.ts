import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { type Specialty } from '../domain/model';

/** A unit of an institution; hospital departments host rotations. */
@Entity('department')
export class Department {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid', name: 'institution_id' })
  institutionId: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text', nullable: true })
  specialty: Specialty | null;

  /** The id the institution's own system gives this record (unique per institution); null until set. */
  @Column({ type: 'text', name: 'sourced_id', nullable: true })
  sourcedId: string | null;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date;
}
