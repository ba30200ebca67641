import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Something a mentor is told about a mentee (until a notifications service delivers it). */
@Entity('mentor_notice')
export class MentorNotice {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid', name: 'mentor_id' })
  mentorId: string;

  @Column({ type: 'text' })
  kind: 'PLACEMENT_STARTED';

  @Column({ type: 'uuid', name: 'student_id' })
  studentId: string;

  @Column({ type: 'uuid', name: 'mentorship_id' })
  mentorshipId: string;

  @Column({ type: 'uuid', name: 'placement_id' })
  placementId: string;

  @Column({ type: 'uuid', name: 'hospital_id' })
  hospitalId: string;

  @Column({ type: 'uuid', name: 'department_id' })
  departmentId: string;

  @Column({ type: 'date', name: 'starts_on' })
  startsOn: string;

  @Column({ type: 'date', name: 'ends_on' })
  endsOn: string;

  @Column({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date;
}
