import { Column, Entity, PrimaryColumn } from 'typeorm';
import { type MentorshipFormat, type Specialty } from '../domain/model';

/** What a student would like from a mentor; matching reads it. */
@Entity('mentee_preferences')
export class MenteePreferences {
  @PrimaryColumn({ type: 'uuid', name: 'student_id' })
  studentId: string;

  @Column({ type: 'text', array: true, name: 'specialty_interests' })
  specialtyInterests: Specialty[];

  @Column({ type: 'text', array: true, name: 'research_interests' })
  researchInterests: string[];

  @Column({ type: 'text', name: 'preferred_format', nullable: true })
  preferredFormat: MentorshipFormat | null;

  @Column({ type: 'timestamptz', name: 'updated_at' })
  updatedAt: Date;
}
