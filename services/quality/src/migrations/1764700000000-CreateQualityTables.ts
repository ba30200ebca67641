import { type MigrationInterface, type QueryRunner } from 'typeorm';

const CELL_KEY = 'metric, school, scope_kind, scope_id, period_kind, period_id, item';

/**
 * Quality's own tables: the events it applied (its history, which a rebuild replays), each
 * aggregate's current contribution, the rollup cells and their evaluators, what it knows of
 * departments and agreements, and rebuild runs.
 */
export class CreateQualityTables1764700000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE applied_event (
        event_id uuid PRIMARY KEY,
        event_type text NOT NULL,
        aggregate_type text NOT NULL,
        aggregate_id text NOT NULL,
        sequence int NOT NULL,
        occurred_at timestamptz NOT NULL,
        payload jsonb NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE INDEX applied_event_aggregate ON applied_event (aggregate_type, aggregate_id, sequence)');
    await q.query(`
      CREATE TABLE rollup_fact (
        aggregate_type text NOT NULL,
        aggregate_id text NOT NULL,
        contributions jsonb NOT NULL,
        PRIMARY KEY (aggregate_type, aggregate_id)
      )`);
    await q.query(`
      CREATE TABLE rollup_cell (
        metric text NOT NULL,
        school text NOT NULL,
        scope_kind text NOT NULL,
        scope_id text NOT NULL,
        period_kind text NOT NULL,
        period_id text NOT NULL,
        item text NOT NULL,
        parent text,
        n bigint NOT NULL,
        total_milli bigint NOT NULL,
        histogram jsonb NOT NULL DEFAULT '{}',
        evaluators int NOT NULL DEFAULT 0,
        PRIMARY KEY (${CELL_KEY})
      )`);
    await q.query('CREATE INDEX rollup_cell_children ON rollup_cell (school, period_kind, period_id, scope_kind, parent)');
    await q.query(`
      CREATE TABLE rollup_cell_evaluator (
        metric text NOT NULL,
        school text NOT NULL,
        scope_kind text NOT NULL,
        scope_id text NOT NULL,
        period_kind text NOT NULL,
        period_id text NOT NULL,
        item text NOT NULL,
        pseudonym text NOT NULL,
        n int NOT NULL,
        PRIMARY KEY (${CELL_KEY}, pseudonym)
      )`);
    // Sums two distributions key by key and drops the buckets that reach zero.
    await q.query(`
      CREATE FUNCTION quality_merge_histogram(a jsonb, b jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
        SELECT COALESCE(jsonb_object_agg(k, v) FILTER (WHERE v <> 0), '{}'::jsonb)
          FROM (SELECT k, SUM(v) AS v FROM (
                  SELECT key AS k, value::text::bigint AS v FROM jsonb_each(a)
                  UNION ALL SELECT key, value::text::bigint FROM jsonb_each(b)) x GROUP BY k) y
      $$`);
    await q.query(`
      CREATE TABLE known_department (
        id uuid PRIMARY KEY,
        hospital_id uuid NOT NULL,
        specialty text
      )`);
    await q.query(`
      CREATE TABLE known_agreement (
        id uuid PRIMARY KEY,
        school_id uuid NOT NULL,
        hospital_id uuid NOT NULL,
        status text NOT NULL
      )`);
    await q.query('CREATE INDEX known_agreement_school ON known_agreement (school_id)');
    await q.query('CREATE INDEX known_agreement_hospital ON known_agreement (hospital_id)');
    await q.query(`
      CREATE TABLE rebuild_run (
        id uuid PRIMARY KEY,
        status text NOT NULL,
        requested_by uuid NOT NULL,
        requested_at timestamptz NOT NULL,
        started_at timestamptz,
        finished_at timestamptz,
        aggregates_total int NOT NULL DEFAULT 0,
        aggregates_done int NOT NULL DEFAULT 0,
        error text
      )`);
    await q.query(`CREATE INDEX rebuild_run_queued ON rebuild_run (requested_at) WHERE status = 'QUEUED'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE rebuild_run');
    await q.query('DROP TABLE known_agreement');
    await q.query('DROP TABLE known_department');
    await q.query('DROP FUNCTION quality_merge_histogram(jsonb, jsonb)');
    await q.query('DROP TABLE rollup_cell_evaluator');
    await q.query('DROP TABLE rollup_cell');
    await q.query('DROP TABLE rollup_fact');
    await q.query('DROP TABLE applied_event');
  }
}
