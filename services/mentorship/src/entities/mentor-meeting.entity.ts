import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A logged meeting; notes are private to the mentorship's members (see access-policy). */
@Entity('mentor_meeting')
export class MentorMeeting {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid', name: 'mentorship_id' })
  mentorshipId: string;

  /** YYYY-MM-DD (TypeORM hands `date` columns over as strings). */
  @Column({ type: 'date', name: 'met_on' })
  metOn: string;

  @Column({ type: 'uuid', array: true, name: 'attendee_ids' })
  attendeeIds: string[];

  @Column({ type: 'text', nullable: true })
  notes: string | null;

  @Column({ type: 'uuid', name: 'logged_by' })
  loggedById: string;

  @Column({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date;
}
