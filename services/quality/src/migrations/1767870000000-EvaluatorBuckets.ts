import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { bucketBitsSql, bucketOfSql, shortPseudonymSql } from '../domain/evaluator-buckets';

const CELL_KEY = 'metric, school, scope_kind, scope_id, period_kind, period_id, item';
const KEY_DEFINITION = `metric text NOT NULL,
        school text NOT NULL,
        scope_kind text NOT NULL,
        scope_id text NOT NULL,
        period_kind text NOT NULL,
        period_id text NOT NULL,
        item text NOT NULL`;

/**
 * A cell's evaluators in a few values instead of one row each (ADR 0037): `rollup_cell_evaluator`
 * becomes one row per cell and bucket, `counts` a jsonb map short pseudonym → contributions
 * (domain/evaluator-buckets: 64 bits of the pseudonym; one bucket up to 64 evaluators, then the
 * next power of two that keeps buckets at 64 on average, by the pseudonym's leading bits). The
 * rows are converted, the cells' distinct counts recounted (two pseudonyms sharing 64 bits are
 * one), and the frozen revisions' evaluator counts keyed by the short pseudonyms too, so a later
 * revision compares like with like. `down` converts back to one row per evaluator, each short
 * pseudonym restored to the full one the history names (an evaluation's pseudonym, or the
 * pseudonym of a student id found in any held event), in the cells and the revisions alike.
 */
export class EvaluatorBuckets1767870000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE rollup_cell_evaluator_bucket (
        ${KEY_DEFINITION},
        bucket int NOT NULL,
        counts jsonb NOT NULL,
        PRIMARY KEY (${CELL_KEY}, bucket)
      )`);
    await q.query(`
      INSERT INTO rollup_cell_evaluator_bucket (${CELL_KEY}, bucket, counts)
      SELECT ${CELL_KEY}, ${bucketOfSql('p', 'bits')}, jsonb_object_agg(p, n)
        FROM (SELECT *, ${bucketBitsSql('size')} AS bits
                FROM (SELECT *, count(*) OVER (PARTITION BY ${CELL_KEY}) AS size
                        FROM (SELECT ${CELL_KEY}, ${shortPseudonymSql('pseudonym')} AS p, sum(n)::int AS n
                                FROM rollup_cell_evaluator GROUP BY ${CELL_KEY}, 8 HAVING sum(n) <> 0) shortened) sized) placed
       GROUP BY ${CELL_KEY}, 8`);
    // Only a collision of 64 bits changes a count; cells without evaluator rows keep theirs.
    await q.query(`
      UPDATE rollup_cell c SET evaluators = x.size
        FROM (SELECT ${CELL_KEY}, sum((SELECT count(*) FROM jsonb_object_keys(counts)))::int AS size
                FROM rollup_cell_evaluator_bucket GROUP BY ${CELL_KEY}) x
       WHERE (c.${CELL_KEY.replace(/, /g, ', c.')}) = (x.${CELL_KEY.replace(/, /g, ', x.')}) AND c.evaluators <> x.size`);
    await q.query('DROP TABLE rollup_cell_evaluator');
    await q.query('ALTER TABLE rollup_cell_evaluator_bucket RENAME TO rollup_cell_evaluator');
    await q.query('ALTER TABLE rollup_cell_evaluator RENAME CONSTRAINT rollup_cell_evaluator_bucket_pkey TO rollup_cell_evaluator_pkey');
    await q.query(`
      UPDATE quality_snapshot_cell s SET evaluator_counts = (
        SELECT COALESCE(jsonb_object_agg(p, n), '{}') FROM (
          SELECT ${shortPseudonymSql('key')} AS p, sum(value::text::int) AS n FROM jsonb_each(s.evaluator_counts) GROUP BY 1 HAVING sum(value::text::int) <> 0) x)
       WHERE evaluator_counts <> '{}'`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Every full pseudonym the history names, by its short form.
    await q.query(`
      CREATE TEMP TABLE quality_known_pseudonym AS
      SELECT DISTINCT ON (short) short, pseudonym FROM (
        SELECT ${shortPseudonymSql('pseudonym')} AS short, pseudonym FROM (
          SELECT payload->>'evaluatorPseudonym' AS pseudonym FROM applied_event WHERE payload ? 'evaluatorPseudonym'
          UNION
          SELECT left(encode(sha256(convert_to('quality-student:' || (v #>> '{}'), 'UTF8')), 'hex'), 32)
            FROM applied_event, jsonb_path_query(payload, 'strict $.** ? (@.type() == "string")') v) named
         WHERE pseudonym IS NOT NULL) known
      ORDER BY short, pseudonym`);
    await q.query('CREATE UNIQUE INDEX ON quality_known_pseudonym (short)');
    await q.query(`
      CREATE TABLE rollup_cell_evaluator_row (
        ${KEY_DEFINITION},
        pseudonym text NOT NULL,
        n int NOT NULL,
        PRIMARY KEY (${CELL_KEY}, pseudonym)
      )`);
    await q.query(`
      INSERT INTO rollup_cell_evaluator_row (${CELL_KEY}, pseudonym, n)
      SELECT ${CELL_KEY.replace(/(\w+)/g, 'b.$1')}, COALESCE(k.pseudonym, e.key), e.value::text::int
        FROM rollup_cell_evaluator b CROSS JOIN LATERAL jsonb_each(b.counts) e
        LEFT JOIN quality_known_pseudonym k ON k.short = e.key`);
    await q.query('DROP TABLE rollup_cell_evaluator');
    await q.query('ALTER TABLE rollup_cell_evaluator_row RENAME TO rollup_cell_evaluator');
    await q.query('ALTER TABLE rollup_cell_evaluator RENAME CONSTRAINT rollup_cell_evaluator_row_pkey TO rollup_cell_evaluator_pkey');
    await q.query(`
      UPDATE quality_snapshot_cell s SET evaluator_counts = (
        SELECT COALESCE(jsonb_object_agg(COALESCE(k.pseudonym, e.key), e.value), '{}')
          FROM jsonb_each(s.evaluator_counts) e LEFT JOIN quality_known_pseudonym k ON k.short = e.key)
       WHERE evaluator_counts <> '{}'`);
    await q.query('DROP TABLE quality_known_pseudonym');
  }
}
