import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** Alert rules of institutions and the alerts they raised (once per rule, scope and period). */
export class CreateQualityAlerts1764700000002 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE quality_alert_rule (
        id uuid PRIMARY KEY,
        institution_id uuid NOT NULL,
        metric text NOT NULL,
        scope_kind text NOT NULL,
        period_kind text NOT NULL,
        direction text NOT NULL,
        threshold double precision NOT NULL,
        created_by uuid NOT NULL,
        created_at timestamptz NOT NULL
      )`);
    await q.query('CREATE INDEX quality_alert_rule_institution ON quality_alert_rule (institution_id)');
    await q.query(`
      CREATE TABLE quality_alert (
        id uuid PRIMARY KEY,
        rule_id uuid NOT NULL REFERENCES quality_alert_rule (id) ON DELETE CASCADE,
        institution_id uuid NOT NULL,
        scope_kind text NOT NULL,
        scope_id text NOT NULL,
        period_id text NOT NULL,
        value double precision NOT NULL,
        raised_at timestamptz NOT NULL,
        UNIQUE (rule_id, scope_id, period_id)
      )`);
    await q.query('CREATE INDEX quality_alert_institution ON quality_alert (institution_id, raised_at DESC)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE quality_alert');
    await q.query('DROP TABLE quality_alert_rule');
  }
}
