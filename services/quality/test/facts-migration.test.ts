import { createDataSource } from '@medcollab/kit';
import { createTestDatabase, type TestDatabase } from '@medcollab/testing';
import { type DataSource } from 'typeorm';
import { entities } from '../src/entities';
import { migrations } from '../src/migrations';
import { FactsAsEventIds1767810000000 } from '../src/migrations/1767810000000-FactsAsEventIds';

/**
 * The migration to facts as event ids (ADR 0032) fills each fact from the history: an
 * aggregate's held events, a Learner's assessments and every post profile; `down` brings the
 * contributions column back.
 */
let db: TestDatabase;
let ds: DataSource;
const before = migrations.filter((m) => m !== FactsAsEventIds1767810000000);

beforeAll(async () => {
  db = await createTestDatabase('quality', { entities, migrations: before });
  ds = createDataSource({ url: db.url, entities, migrations: before });
  await ds.initialize();
});
afterAll(async () => {
  await ds.destroy();
  await db.drop();
});

const E = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

it('fills every fact with the ids of the events it was folded from, and down undoes the column', async () => {
  await ds.query(
    `INSERT INTO applied_event (event_id, event_type, aggregate_type, aggregate_id, sequence, occurred_at, payload) VALUES
       ($1, 'PlacementConfirmed', 'Placement', 'p1', 1, now(), '{}'),
       ($2, 'PlacementCompleted', 'Placement', 'p1', 2, now(), '{}'),
       ($3, 'PlacementConfirmed', 'Placement', 'p2', 1, now(), '{}'),
       ($4, 'AssessmentSubmitted', 'Submission', 's1', 1, now(), '{"studentId": "student-a"}'),
       ($5, 'AssessmentSubmitted', 'Submission', 's2', 1, now(), '{"studentId": "student-b"}'),
       ($6, 'PostProfilePublished', 'PostProfile', 'pp', 1, now(), '{}')`,
    [E(2), E(1), E(3), E(4), E(5), E(6)],
  );
  await ds.query(
    `INSERT INTO rollup_fact (aggregate_type, aggregate_id, contributions) VALUES
       ('Placement', 'p1', '[]'), ('Submission', 's1', '[]'), ('Learner', 'student-a', '[]'), ('Placement', 'gone', '[]')`,
  );
  const runner = ds.createQueryRunner();
  try {
    await new FactsAsEventIds1767810000000().up(runner);
    expect(await ds.query('SELECT aggregate_type, aggregate_id, event_ids FROM rollup_fact ORDER BY 1, 2')).toEqual([
      { aggregate_type: 'Learner', aggregate_id: 'student-a', event_ids: [E(4), E(6)] },
      { aggregate_type: 'Placement', aggregate_id: 'gone', event_ids: [] },
      { aggregate_type: 'Placement', aggregate_id: 'p1', event_ids: [E(1), E(2)] },
      { aggregate_type: 'Submission', aggregate_id: 's1', event_ids: [E(4)] },
    ]);
    await new FactsAsEventIds1767810000000().down(runner);
    const columns = (await ds.query(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'rollup_fact' ORDER BY ordinal_position`,
    )) as { column_name: string }[];
    expect(columns.map((c) => c.column_name)).toEqual(['aggregate_type', 'aggregate_id', 'contributions']);
    expect(await ds.query('SELECT count(*)::int AS n FROM rollup_fact')).toEqual([{ n: 4 }]);
  } finally {
    await runner.release();
  }
});
