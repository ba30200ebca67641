import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { type Specialty, type TrackKind } from '../domain/model';

/** A school's study program (e.g. "MD program 2025"), made of organ-system modules. */
@Entity('program')
export class Program {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid', name: 'school_id' })
  schoolId: string;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date;
}

/** A personalised path through a program: clinical practice, research or a specialty. */
@Entity('track')
export class Track {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid', name: 'program_id' })
  programId: string;

  @Column({ type: 'text' })
  kind: TrackKind;

  @Column({ type: 'text' })
  title: string;

  /** Set for (and only for) SPECIALTY tracks. */
  @Column({ type: 'text', nullable: true })
  specialty: Specialty | null;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date;
}
