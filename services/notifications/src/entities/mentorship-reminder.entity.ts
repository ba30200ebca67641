import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A mentorship as mentorship's events described it (the mentee-without-a-meeting reminder). */
@Entity('reminder_mentorship')
export class ReminderMentorship {
  @PrimaryColumn({ type: 'uuid', name: 'mentorship_id' })
  mentorshipId: string;

  @Column({ type: 'uuid', name: 'mentor_id' })
  mentorId: string;

  /** The mentees' school (from a meeting, or the mentees' registrations); null until known. */
  @Column({ type: 'uuid', name: 'school_id', nullable: true })
  schoolId: string | null;

  /** Null while only a meeting of it has arrived (MentorshipChanged not yet). */
  @Column({ type: 'text', nullable: true })
  status: 'ACTIVE' | 'PAUSED' | 'ENDED' | null;

  @Column({ type: 'timestamptz', name: 'updated_at', nullable: true })
  updatedAt: Date | null;
}

/** One mentee of a mentorship: since when they are in it while it is ACTIVE, and when they last met the mentor. */
@Entity('reminder_mentee')
export class ReminderMentee {
  @PrimaryColumn({ type: 'uuid', name: 'mentorship_id' })
  mentorshipId: string;

  @PrimaryColumn({ type: 'uuid', name: 'student_id' })
  studentId: string;

  /** A current mentee (false: left the mentorship, or only a meeting has arrived so far). */
  @Column({ type: 'boolean' })
  member: boolean;

  /** Since when the mentee is in the mentorship while it is ACTIVE (null while paused or ended). */
  @Column({ type: 'timestamptz', name: 'active_since', nullable: true })
  activeSince: Date | null;

  @Column({ type: 'date', name: 'last_met_on', nullable: true })
  lastMetOn: string | null;

  /** When that meeting counts from: when it was logged, if on its own day in the school's zone (null: 09:00 of that day). */
  @Column({ type: 'timestamptz', name: 'last_met_at', nullable: true })
  lastMetAt: Date | null;
}
