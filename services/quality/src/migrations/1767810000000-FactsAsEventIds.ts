import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * An aggregate's fact is the set of events its part of the cells was folded from (ADR 0032),
 * not the fanned-out contributions: incremental apply folds that set again to retract it, so the
 * fact shrinks from every cell an aggregate touches (~120 keys for an evaluation) to a few ids,
 * and a rebuild writes a few ids per aggregate instead of its whole fan-out. Filled from the
 * history here: every held event of the aggregate (a Learner: the student's assessments and every
 * post profile), which is what the cells hold while incremental apply and rebuilds agree.
 * `down` brings the contributions column back empty: run `rebuildQualityRollups` after it.
 */
export class FactsAsEventIds1767810000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE rollup_fact ADD COLUMN event_ids uuid[]');
    await q.query(`
      UPDATE rollup_fact f SET event_ids = COALESCE((
        SELECT array_agg(e.event_id ORDER BY e.event_id) FROM applied_event e
         WHERE e.aggregate_type = f.aggregate_type AND e.aggregate_id = f.aggregate_id), '{}')
       WHERE f.aggregate_type <> 'Learner'`);
    await q.query(`
      UPDATE rollup_fact f SET event_ids = COALESCE((
        SELECT array_agg(e.event_id ORDER BY e.event_id) FROM applied_event e
         WHERE (e.aggregate_type = 'Submission' AND e.payload->>'studentId' = f.aggregate_id) OR e.aggregate_type = 'PostProfile'), '{}')
       WHERE f.aggregate_type = 'Learner'`);
    await q.query('ALTER TABLE rollup_fact ALTER COLUMN event_ids SET NOT NULL, DROP COLUMN contributions');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE rollup_fact ADD COLUMN contributions jsonb NOT NULL DEFAULT '[]', DROP COLUMN event_ids`);
    await q.query('ALTER TABLE rollup_fact ALTER COLUMN contributions DROP DEFAULT');
  }
}
