import { Column, Entity, PrimaryColumn } from 'typeorm';

/** When a school's students may rank their choices for an academic year. */
@Entity('preference_window')
export class PreferenceWindow {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid', name: 'school_id' })
  schoolId: string;

  @Column({ type: 'text', name: 'academic_year' })
  academicYear: string;

  @Column({ type: 'timestamptz', name: 'opens_at' })
  opensAt: Date;

  @Column({ type: 'timestamptz', name: 'closes_at' })
  closesAt: Date;
}
