import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { type MentorshipFormat, type Specialty } from '../domain/model';

/** What a MENTOR offers; one per staff member. */
@Entity('mentor_profile')
export class MentorProfile {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid', name: 'staff_id' })
  staffId: string;

  /** Copied from the staff projection when the profile is written (staff never change institution). */
  @Column({ type: 'uuid', name: 'institution_id' })
  institutionId: string;

  @Column({ type: 'int' })
  capacity: number;

  @Column({ type: 'text', array: true })
  specialties: Specialty[];

  @Column({ type: 'text', array: true, name: 'research_areas' })
  researchAreas: string[];

  @Column({ type: 'boolean', name: 'research_active' })
  researchActive: boolean;

  @Column({ type: 'text', array: true })
  formats: MentorshipFormat[];

  @Column({ type: 'boolean', name: 'accepting_mentees' })
  acceptingMentees: boolean;

  @Column({ type: 'int', name: 'hours_per_month', nullable: true })
  hoursPerMonth: number | null;

  @Column({ type: 'text', nullable: true })
  bio: string | null;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date;

  @Column({ type: 'timestamptz', name: 'updated_at' })
  updatedAt: Date;
}
