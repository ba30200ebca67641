import { Column, Entity, PrimaryColumn } from 'typeorm';
import { type EntrustmentMode, type SubmissionStatus } from '../domain/model';
import { type ItemResponse } from '../domain/responses';

/** The answers to a task: a DRAFT while the assessor works, then SUBMITTED and never changed (amendments are kept beside it). */
@Entity('submission')
export class Submission {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'uuid', name: 'task_id' })
  taskId: string;

  @Column({ type: 'text' })
  status: SubmissionStatus;

  /** As first submitted (or as drafted so far). */
  @Column({ type: 'jsonb' })
  responses: ItemResponse[];

  @Column({ type: 'text', nullable: true })
  comment: string | null;

  @Column({ type: 'timestamptz', name: 'created_at' })
  createdAt: Date;

  @Column({ type: 'timestamptz', name: 'updated_at' })
  updatedAt: Date;

  @Column({ type: 'timestamptz', name: 'submitted_at', nullable: true })
  submittedAt: Date | null;
}

/** A later correction of a submission: the full responses after it, who, when and why. */
@Entity('submission_amendment')
export class SubmissionAmendment {
  @PrimaryColumn({ type: 'uuid', name: 'submission_id' })
  submissionId: string;

  /** 2 for the first amendment (the submission itself is version 1). */
  @PrimaryColumn({ type: 'int' })
  version: number;

  @Column({ type: 'jsonb' })
  responses: ItemResponse[];

  @Column({ type: 'text', name: 'changed_item_keys', array: true })
  changedItemKeys: string[];

  @Column({ type: 'text' })
  reason: string;

  @Column({ type: 'uuid', name: 'amended_by' })
  amendedBy: string;

  @Column({ type: 'timestamptz', name: 'amended_at' })
  amendedAt: Date;
}

/** One rated answer of an item mapped to a competency, from a submission's current version. */
@Entity('competency_observation')
export class CompetencyObservation {
  @PrimaryColumn({ type: 'uuid', name: 'submission_id' })
  submissionId: string;

  @PrimaryColumn({ type: 'text', name: 'item_key' })
  itemKey: string;

  @PrimaryColumn({ type: 'uuid', name: 'competency_id' })
  competencyId: string;

  @Column({ type: 'uuid', name: 'student_id' })
  studentId: string;

  @Column({ type: 'text', name: 'scale_type' })
  scaleType: 'LIKERT' | 'NOTSS' | 'ENTRUSTMENT' | 'CHECKLIST';

  @Column({ type: 'text', name: 'entrustment_mode', nullable: true })
  entrustmentMode: EntrustmentMode | null;

  @Column({ type: 'double precision', name: 'scale_min' })
  scaleMin: number;

  @Column({ type: 'double precision', name: 'scale_max' })
  scaleMax: number;

  @Column({ type: 'double precision' })
  value: number;

  @Column({ type: 'timestamptz', name: 'observed_at' })
  observedAt: Date;
}
