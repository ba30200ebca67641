import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Period snapshots: the periods quality has figures for (with when they end, for a block the
 * academic year it belongs to, and since when events changed a frozen one), and each period's frozen revisions — the cells as they
 * stood (with their evaluators' pseudonym counts, so a later revision can tell what changed)
 * and the release decisions (hidden figures only; every other figure of the revision is released)
 * of every canonical report.
 */
export class CreateQualitySnapshots1765200000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE quality_period (
        period_kind text NOT NULL,
        period_id text NOT NULL,
        year_id text,
        ends_on date,
        revision int,
        frozen_at timestamptz,
        changed_since timestamptz,
        PRIMARY KEY (period_kind, period_id)
      )`);
    await q.query('CREATE INDEX quality_period_due ON quality_period (ends_on) WHERE revision IS NULL');
    await q.query('CREATE INDEX quality_period_year ON quality_period (year_id, period_kind)');
    await q.query('CREATE INDEX quality_period_changed ON quality_period (changed_since) WHERE changed_since IS NOT NULL');
    await q.query(`
      CREATE TABLE quality_snapshot (
        period_kind text NOT NULL,
        period_id text NOT NULL,
        revision int NOT NULL,
        frozen_at timestamptz NOT NULL,
        reason text NOT NULL,
        changed_cells int NOT NULL,
        PRIMARY KEY (period_kind, period_id, revision)
      )`);
    await q.query(`
      CREATE TABLE quality_snapshot_cell (
        period_kind text NOT NULL,
        period_id text NOT NULL,
        revision int NOT NULL,
        metric text NOT NULL,
        school text NOT NULL,
        scope_kind text NOT NULL,
        scope_id text NOT NULL,
        item text NOT NULL,
        parent text,
        n bigint NOT NULL,
        total_milli bigint NOT NULL,
        histogram jsonb NOT NULL,
        evaluators int NOT NULL,
        evaluator_counts jsonb NOT NULL DEFAULT '{}',
        PRIMARY KEY (period_kind, period_id, revision, school, metric, scope_kind, scope_id, item),
        FOREIGN KEY (period_kind, period_id, revision) REFERENCES quality_snapshot ON DELETE CASCADE
      )`);
    await q.query(`
      CREATE TABLE quality_snapshot_mark (
        period_kind text NOT NULL,
        period_id text NOT NULL,
        revision int NOT NULL,
        school text NOT NULL,
        root text NOT NULL,
        metric text NOT NULL,
        item text NOT NULL,
        scope_kind text NOT NULL,
        scope_id text NOT NULL,
        mark text NOT NULL,
        PRIMARY KEY (period_kind, period_id, revision, school, root, metric, item, scope_kind, scope_id),
        FOREIGN KEY (period_kind, period_id, revision) REFERENCES quality_snapshot ON DELETE CASCADE
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE quality_snapshot_mark');
    await q.query('DROP TABLE quality_snapshot_cell');
    await q.query('DROP TABLE quality_snapshot');
    await q.query('DROP TABLE quality_period');
  }
}
