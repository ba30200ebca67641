import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { type DeliveryMode, type TeachingMethod } from '../domain/model';

/** What students of a module should be able to do; mapped to the competencies it builds. */
@Entity('learning_objective')
export class LearningObjective {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid', name: 'module_id' })
  moduleId: string;

  @Column({ type: 'text' })
  statement: string;

  @Column({ type: 'int' })
  position: number;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date;
}

/** One competency an objective builds. */
@Entity('objective_competency')
export class ObjectiveCompetency {
  @PrimaryColumn({ type: 'uuid', name: 'objective_id' })
  objectiveId: string;

  @PrimaryColumn({ type: 'uuid', name: 'competency_id' })
  competencyId: string;
}

/** A scheduled teaching event of a module. */
@Entity('teaching_session')
export class TeachingSession {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid', name: 'module_id' })
  moduleId: string;

  @Column({ type: 'text' })
  title: string;

  @Column({ type: 'text' })
  method: TeachingMethod;

  @Column({ type: 'text' })
  delivery: DeliveryMode;

  @Column({ type: 'timestamptz', name: 'starts_at', nullable: true })
  startsAt: Date | null;

  @Column({ type: 'int', name: 'duration_minutes' })
  durationMinutes: number;

  @Column({ type: 'int' })
  position: number;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date;
}

/** One objective a session serves (an objective of the session's own module). */
@Entity('session_objective')
export class SessionObjective {
  @PrimaryColumn({ type: 'uuid', name: 'session_id' })
  sessionId: string;

  @PrimaryColumn({ type: 'uuid', name: 'objective_id' })
  objectiveId: string;
}
