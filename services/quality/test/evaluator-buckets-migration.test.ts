import { createHash } from 'node:crypto';
import { createDataSource } from '@medcollab/kit';
import { createTestDatabase, type TestDatabase } from '@medcollab/testing';
import { type DataSource } from 'typeorm';
import { bucketize, shortened } from '../src/domain/evaluator-buckets';
import { entities } from '../src/entities';
import { migrations } from '../src/migrations';

/**
 * The migration to evaluators in buckets (ADR 0037) turns one row per evaluator into each cell's
 * buckets of short pseudonyms — what the rebuild writes — and keys the frozen revisions' counts
 * the same way; `down` brings the rows back with the full pseudonyms the history names.
 */
let db: TestDatabase;
let ds: DataSource;
const THIS = 1767870000000;

beforeAll(async () => {
  db = await createTestDatabase('quality', { entities, migrations });
  ds = createDataSource({ url: db.url, entities, migrations });
  await ds.initialize();
});

/** Later migrations first, down to this one (1767870000000-EvaluatorBuckets), then this one. */
async function undoThis(): Promise<void> {
  const last = async () => Number(((await ds.query(`SELECT max(timestamp) AS t FROM migrations`)) as { t: string }[])[0]!.t);
  while ((await last()) > THIS) await ds.undoLastMigration();
  expect(await last()).toBe(THIS);
  await ds.undoLastMigration();
}
afterAll(async () => {
  await ds.destroy();
  await db.drop();
});

const E = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const evaluator = (i: number) => createHash('sha256').update(`evaluator ${i}`).digest('hex');
/** A student's pseudonym as it was when this migration was written: unkeyed (keyed since ADR 0047), what its `down` recomputes. */
const unkeyedStudentPseudonym = (studentId: string) =>
  createHash('sha256').update(`quality-student:${studentId}`).digest('hex').slice(0, 32);
const CELL = ['TEACHER_SCORE', '*', 'NETWORK', 'network', 'YEAR', '2026-2027'];

it('lays each cell’s evaluators out as the rebuild does, and down restores every row the history names', async () => {
  await undoThis();
  // The history: 100 evaluations (their pseudonyms) and a student's assessment (the student's pseudonym).
  for (let i = 0; i < 100; i++)
    await ds.query(
      `INSERT INTO applied_event (event_id, event_type, aggregate_type, aggregate_id, sequence, occurred_at, payload)
       VALUES ($1, 'EvaluationSubmitted', 'EvaluationSubmission', $2, 1, now(), $3)`,
      [E(i), E(i), { evaluatorPseudonym: evaluator(i), kind: 'TEACHER_EVALUATION' }],
    );
  await ds.query(
    `INSERT INTO applied_event (event_id, event_type, aggregate_type, aggregate_id, sequence, occurred_at, payload)
     VALUES ($1, 'AssessmentSubmitted', 'Submission', 's1', 1, now(), '{"studentId": "student-a", "competencyResults": []}')`,
    [E(1000)],
  );
  // A cell of 100 evaluators (two buckets), one of two (an evaluator and a student), and one with an evaluator the history lacks.
  const big = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [evaluator(i), 1 + (i % 3)]));
  const small = { [evaluator(7)]: 2, [unkeyedStudentPseudonym('student-a')]: 1 };
  const stranger = { [createHash('sha256').update('gone').digest('hex')]: 1 };
  const cells: [string, Record<string, number>][] = [
    ['', big],
    ['item1', small],
    ['item2', stranger],
  ];
  for (const [item, multiset] of cells) {
    const n = Object.values(multiset).reduce((s, v) => s + v, 0);
    await ds.query(
      `INSERT INTO rollup_cell (metric, school, scope_kind, scope_id, period_kind, period_id, item, parent, n, total_milli, histogram, evaluators)
       VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, $8, $9, '{}', $10)`,
      [...CELL, item, n, n * 4000, Object.keys(multiset).length],
    );
    for (const [p, count] of Object.entries(multiset))
      await ds.query(
        `INSERT INTO rollup_cell_evaluator (metric, school, scope_kind, scope_id, period_kind, period_id, item, pseudonym, n)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [...CELL, item, p, count],
      );
  }
  await ds.query(
    `INSERT INTO quality_snapshot (period_kind, period_id, revision, frozen_at, reason, changed_cells) VALUES ('YEAR', '2026-2027', 0, now(), 'CLOSED', 0)`,
  );
  await ds.query(
    `INSERT INTO quality_snapshot_cell (period_kind, period_id, revision, metric, school, scope_kind, scope_id, item, parent, n, total_milli, histogram, evaluators, evaluator_counts)
     VALUES ('YEAR', '2026-2027', 0, 'TEACHER_SCORE', '*', 'NETWORK', 'network', 'item1', NULL, 3, 12000, '{}', 2, $1)`,
    [small],
  );
  const rows = () =>
    ds.query(`SELECT item, pseudonym, n FROM rollup_cell_evaluator ORDER BY item, pseudonym`) as Promise<
      { item: string; pseudonym: string; n: number }[]
    >;
  const original = await rows();
  expect(original).toHaveLength(103);
  const snapshot = () => ds.query(`SELECT evaluator_counts FROM quality_snapshot_cell`) as Promise<{ evaluator_counts: unknown }[]>;

  await ds.runMigrations();
  const buckets = (await ds.query(`SELECT item, bucket, counts FROM rollup_cell_evaluator ORDER BY item, bucket`)) as {
    item: string;
    bucket: number;
    counts: Record<string, number>;
  }[];
  const expected = cells.flatMap(([item, multiset]) =>
    [...bucketize(shortened(multiset))].map(([bucket, counts]) => ({ item, bucket, counts })),
  );
  expect(buckets).toEqual(expected.sort((a, b) => a.item.localeCompare(b.item) || a.bucket - b.bucket));
  expect(buckets.filter((b) => b.item === '')).toHaveLength(2);
  expect(await ds.query(`SELECT item, evaluators FROM rollup_cell ORDER BY item`)).toEqual([
    { item: '', evaluators: 100 },
    { item: 'item1', evaluators: 2 },
    { item: 'item2', evaluators: 1 },
  ]);
  expect(await snapshot()).toEqual([{ evaluator_counts: shortened(small) }]);
  const key = (await ds.query(
    `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname = 'rollup_cell_evaluator_pkey'`,
  )) as { def: string }[];
  expect(key).toEqual([{ def: 'PRIMARY KEY (metric, school, scope_kind, scope_id, period_kind, period_id, item, bucket)' }]);

  await undoThis();
  const restored = await rows();
  // Every pseudonym the history names comes back whole; one it does not name stays short.
  const gone = Object.keys(stranger)[0]!;
  // (The stranger is its cell's only row, so the order stays as it was.)
  expect(restored).toEqual(original.map((r) => (r.pseudonym === gone ? { ...r, pseudonym: gone.slice(0, 16) } : r)));
  expect(await snapshot()).toEqual([{ evaluator_counts: small }]);
  expect(await ds.query(`SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname = 'rollup_cell_evaluator_pkey'`)).toEqual(
    [{ def: 'PRIMARY KEY (metric, school, scope_kind, scope_id, period_kind, period_id, item, pseudonym)' }],
  );
  await ds.runMigrations();
  expect(await ds.query(`SELECT count(*)::int AS n FROM rollup_cell_evaluator`)).toEqual([{ n: 4 }]);
});
