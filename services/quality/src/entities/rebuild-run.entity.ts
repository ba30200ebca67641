import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A rebuild of every rollup from the events quality applied, asked for by a network admin and run by the worker. */
@Entity('rebuild_run')
export class RebuildRun {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  /** QUEUED, RUNNING, SUCCEEDED or FAILED. */
  @Column({ type: 'text' })
  status: string;

  @Column({ type: 'uuid', name: 'requested_by' })
  requestedBy: string;

  @Column({ type: 'timestamptz', name: 'requested_at' })
  requestedAt: Date;

  @Column({ type: 'timestamptz', name: 'started_at', nullable: true })
  startedAt: Date | null;

  @Column({ type: 'timestamptz', name: 'finished_at', nullable: true })
  finishedAt: Date | null;

  @Column({ type: 'int', name: 'aggregates_total' })
  aggregatesTotal: number;

  @Column({ type: 'int', name: 'aggregates_done' })
  aggregatesDone: number;

  @Column({ type: 'text', nullable: true })
  error: string | null;
}
