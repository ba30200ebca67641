import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A period of a school's rotation calendar; a student is in at most one placement per block. */
@Entity('rotation_block')
export class RotationBlock {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid', name: 'school_id' })
  schoolId: string;

  /** "2026-2027". */
  @Column({ type: 'text', name: 'academic_year' })
  academicYear: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'date', name: 'starts_on' })
  startsOn: string;

  @Column({ type: 'date', name: 'ends_on' })
  endsOn: string;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date;
}
