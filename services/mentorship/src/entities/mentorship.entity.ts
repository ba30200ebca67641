import { Column, Entity, PrimaryColumn } from 'typeorm';
import { type MentorshipFocus, type MentorshipFormat, type MentorshipStatus } from '../domain/model';

/** A mentor with one mentee or a small group. */
@Entity('mentorship')
export class Mentorship {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid', name: 'mentor_id' })
  mentorId: string;

  /** The mentees' school (all mentees of one mentorship share it). */
  @Column({ type: 'uuid', name: 'school_id' })
  schoolId: string;

  @Column({ type: 'text' })
  format: MentorshipFormat;

  @Column({ type: 'text' })
  focus: MentorshipFocus;

  @Column({ type: 'text' })
  status: MentorshipStatus;

  @Column({ type: 'text', name: 'status_reason', nullable: true })
  statusReason: string | null;

  @Column({ type: 'int', name: 'group_size_limit', nullable: true })
  groupSizeLimit: number | null;

  @Column({ type: 'uuid', name: 'matching_run_id', nullable: true })
  matchingRunId: string | null;

  @Column({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date;

  @Column({ type: 'timestamptz', name: 'updated_at' })
  updatedAt: Date;

  @Column({ type: 'timestamptz', name: 'ended_at', nullable: true })
  endedAt: Date | null;
}

/** One mentee of a mentorship. */
@Entity('mentorship_mentee')
export class MentorshipMentee {
  @PrimaryColumn({ type: 'uuid', name: 'mentorship_id' })
  mentorshipId: string;

  @PrimaryColumn({ type: 'uuid', name: 'student_id' })
  studentId: string;

  /** 0, 1, 2… in the order the mentees joined. */
  @Column({ type: 'int' })
  position: number;

  @Column({ type: 'timestamptz', name: 'joined_at' })
  joinedAt: Date;
}
