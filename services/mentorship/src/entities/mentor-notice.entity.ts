import { Column, Entity, PrimaryColumn } from 'typeorm';
import { type MENTOR_NOTICE_KINDS } from '../domain/model';

/** Something a mentor is told about a mentee (until a notifications service delivers it). */
@Entity('mentor_notice')
export class MentorNotice {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid', name: 'mentor_id' })
  mentorId: string;

  @Column({ type: 'text' })
  kind: (typeof MENTOR_NOTICE_KINDS)[number];

  @Column({ type: 'uuid', name: 'student_id' })
  studentId: string;

  @Column({ type: 'uuid', name: 'mentorship_id' })
  mentorshipId: string;

  @Column({ type: 'uuid', name: 'placement_id', nullable: true })
  placementId: string | null;

  @Column({ type: 'uuid', name: 'hospital_id', nullable: true })
  hospitalId: string | null;

  @Column({ type: 'uuid', name: 'department_id', nullable: true })
  departmentId: string | null;

  @Column({ type: 'date', name: 'starts_on', nullable: true })
  startsOn: string | null;

  @Column({ type: 'date', name: 'ends_on', nullable: true })
  endsOn: string | null;

  /** SUMMATIVE_BELOW_EXPECTED only (null otherwise): the submission, its task, the latest version told about. */
  @Column({ type: 'uuid', name: 'submission_id', nullable: true })
  submissionId: string | null;

  @Column({ type: 'uuid', name: 'task_id', nullable: true })
  taskId: string | null;

  @Column({ type: 'int', name: 'submission_version', nullable: true })
  submissionVersion: number | null;

  /** The competencies below the expected level (SUMMATIVE_BELOW_EXPECTED); null otherwise. */
  @Column({ type: 'uuid', name: 'competency_ids', array: true, nullable: true })
  competencyIds: string[] | null;

  @Column({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date;
}
