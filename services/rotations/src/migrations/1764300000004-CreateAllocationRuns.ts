import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Allocation runs (issue #6): the frozen input snapshot a run solves, its state as the worker
 * moves it along, and one result row per variation (OPTIMAL, LOTTERY) the engine returned.
 */
export class CreateAllocationRuns1764300000004 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE allocation_run (
        id uuid PRIMARY KEY,
        school_id uuid NOT NULL,
        academic_year text,
        block_ids uuid[] NOT NULL,
        mechanism text NOT NULL CHECK (mechanism IN ('OPTIMAL', 'LOTTERY')),
        seed text NOT NULL,
        options jsonb NOT NULL,
        status text NOT NULL CHECK (status IN ('QUEUED', 'RUNNING', 'CANCELLING', 'CANCELLED', 'SUCCEEDED', 'INFEASIBLE', 'FAILED')),
        progress double precision NOT NULL DEFAULT 0,
        input jsonb NOT NULL,
        input_hash text NOT NULL,
        infeasibility jsonb,
        error text,
        requested_by uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz,
        heartbeat_at timestamptz,
        finished_at timestamptz,
        published_variation text,
        published_at timestamptz,
        published_by uuid
      )`);
    // The worker's claim query: oldest QUEUED first.
    await q.query(`CREATE INDEX allocation_run_pending ON allocation_run (created_at) WHERE status IN ('QUEUED', 'RUNNING', 'CANCELLING')`);
    await q.query(`CREATE INDEX allocation_run_school ON allocation_run (school_id, created_at)`);
    await q.query(`
      CREATE TABLE allocation_variation (
        run_id uuid NOT NULL REFERENCES allocation_run (id) ON DELETE CASCADE,
        mechanism text NOT NULL CHECK (mechanism IN ('OPTIMAL', 'LOTTERY')),
        status text NOT NULL,
        seed text,
        metrics jsonb,
        assignments jsonb NOT NULL,
        explanations jsonb NOT NULL,
        reasons jsonb NOT NULL,
        PRIMARY KEY (run_id, mechanism)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE allocation_variation');
    await q.query('DROP TABLE allocation_run');
  }
}
