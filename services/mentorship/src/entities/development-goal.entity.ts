import { Column, Entity, PrimaryColumn } from 'typeorm';
import { type GoalEvidence, type GoalStatus } from '../domain/model';

/** numeric comes back from pg as a string; levels are plain numbers in the service. */
const numeric = { to: (v: number | null) => v, from: (v: string | null) => (v === null ? null : Number(v)) };

/** A student's development goal. */
@Entity('development_goal')
export class DevelopmentGoal {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid', name: 'student_id' })
  studentId: string;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ type: 'uuid', name: 'competency_id', nullable: true })
  competencyId: string | null;

  @Column({ type: 'date', name: 'target_date', nullable: true })
  targetDate: string | null;

  @Column({ type: 'text' })
  status: GoalStatus;

  @Column({ type: 'jsonb' })
  evidence: GoalEvidence[];

  /** The mentor who proposed it; null when the student set it. */
  @Column({ type: 'uuid', name: 'proposed_by', nullable: true })
  proposedById: string | null;

  /** Null while a mentor's proposal waits for the student. */
  @Column({ type: 'timestamptz', name: 'accepted_at', nullable: true })
  acceptedAt: Date | null;

  @Column({ type: 'numeric', name: 'required_level', nullable: true, transformer: numeric })
  requiredLevel: number | null;

  @Column({ type: 'numeric', name: 'current_level', nullable: true, transformer: numeric })
  currentLevel: number | null;

  @Column({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date;

  @Column({ type: 'timestamptz', name: 'updated_at' })
  updatedAt: Date;
}
