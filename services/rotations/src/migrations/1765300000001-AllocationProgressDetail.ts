import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Issue #14: a run's progress beyond a fraction, written by the worker while the solve runs in a
 * worker thread: the phase ('checks', 'lottery', 'optimal', 'diagnosis', 'done'), the incumbent's
 * total rank, its gap to the solver's bound and the worst rank of the attempt under way, and when
 * the worker last beat.
 */
export class AllocationProgressDetail1765300000001 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE allocation_run ADD COLUMN progress_phase text, ADD COLUMN progress_detail jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE allocation_run DROP COLUMN progress_detail, DROP COLUMN progress_phase`);
  }
}
