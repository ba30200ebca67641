import { Column, Entity, PrimaryColumn } from 'typeorm';
import { type MatchingRunStatus, type MatchReason } from '../domain/model';

/** A stored matching proposal for a cohort, and the coordinator's decision on it. */
@Entity('matching_run')
export class MatchingRun {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid', name: 'school_id' })
  schoolId: string;

  @Column({ type: 'uuid', name: 'program_id', nullable: true })
  programId: string | null;

  @Column({ type: 'int', name: 'cohort_year', nullable: true })
  cohortYear: number | null;

  @Column({ type: 'text' })
  mechanism: 'OPTIMAL';

  @Column({ type: 'text' })
  status: MatchingRunStatus;

  @Column({ type: 'int', name: 'total_score' })
  totalScore: number;

  @Column({ type: 'uuid', array: true, name: 'unmatched_student_ids' })
  unmatchedStudentIds: string[];

  @Column({ type: 'uuid', name: 'created_by' })
  createdById: string;

  @Column({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date;

  @Column({ type: 'uuid', name: 'decided_by', nullable: true })
  decidedById: string | null;

  @Column({ type: 'timestamptz', name: 'decided_at', nullable: true })
  decidedAt: Date | null;

  @Column({ type: 'text', name: 'decision_reason', nullable: true })
  decisionReason: string | null;
}

/** One proposed student-mentor pair of a run. */
@Entity('matching_proposal')
export class MatchingProposal {
  @PrimaryColumn({ type: 'uuid', name: 'run_id' })
  runId: string;

  @PrimaryColumn({ type: 'uuid', name: 'student_id' })
  studentId: string;

  @Column({ type: 'uuid', name: 'mentor_id' })
  mentorId: string;

  @Column({ type: 'int' })
  score: number;

  @Column({ type: 'jsonb' })
  reasons: MatchReason[];
}
