import { createDataSource } from '@medcollab/kit';
import { createTestDatabase, type TestDatabase } from '@medcollab/testing';
import { type DataSource } from 'typeorm';
import { KNOWN_BLOCKS } from '../src/data/mentorship-blocks';
import { noteSchoolBlock, refreshSchoolBlocks } from '../src/data/school-blocks';
import { entities } from '../src/entities';
import { migrations } from '../src/migrations';

/**
 * The hourly sweep's school blocks come from quality_school_block, kept as placements are
 * applied, not from grouping every placement event of the history (ADR 0021's consequence).
 * `test/rollups.test.ts` checks that the table kept event by event equals a rebuild's.
 */
let db: TestDatabase;
let ds: DataSource;
beforeAll(async () => {
  db = await createTestDatabase('quality', { entities, migrations });
  ds = createDataSource({ url: db.url, entities, migrations });
  await ds.initialize();
});
afterAll(async () => {
  await ds.destroy();
  await db.drop();
});

type PlanNode = { 'Relation Name'?: string; Plans?: PlanNode[] };
const relations = (n: PlanNode): string[] => [...(n['Relation Name'] ? [n['Relation Name']] : []), ...(n.Plans ?? []).flatMap(relations)];

describe('school blocks for the sweep', () => {
  it('reads no placement event: the plan of the known-blocks query never touches the history', async () => {
    const rows = (await ds.query(`EXPLAIN (FORMAT JSON) WITH ${KNOWN_BLOCKS} SELECT * FROM known`, ['2027-01-01'])) as {
      'QUERY PLAN': { Plan: PlanNode }[];
    }[];
    const plan = rows[0]!['QUERY PLAN'];
    const read = relations(plan[0]!.Plan);
    expect(read).toContain('quality_school_block');
    expect(read).not.toContain('applied_event');
  });

  it('widens a block by each placement, whatever the order, and equals grouping the history', async () => {
    const S = 'school-1';
    const placements = [
      { schoolId: S, blockId: 'b1', startsOn: '2026-10-05', endsOn: '2026-10-30' },
      { schoolId: S, blockId: 'b1', startsOn: '2026-10-01', endsOn: '2026-10-20' },
      { schoolId: S, blockId: 'b1', startsOn: '2026-10-03', endsOn: '2026-11-02' },
      { schoolId: S, blockId: 'b2' },
      { blockId: 'b3', startsOn: '2026-12-01', endsOn: '2026-12-30' },
    ];
    await ds.transaction(async (em) => {
      for (const p of [...placements].reverse()) await noteSchoolBlock(em, p);
    });
    const kept = await ds.query('SELECT * FROM quality_school_block ORDER BY 1, 2');
    expect(kept).toEqual([
      { school_id: S, block_id: 'b1', starts_on: '2026-10-01', ends_on: '2026-11-02' },
      { school_id: S, block_id: 'b2', starts_on: null, ends_on: null },
    ]);
    for (const [i, p] of placements.entries())
      await ds.query(
        `INSERT INTO applied_event (event_id, event_type, aggregate_type, aggregate_id, sequence, occurred_at, payload)
         VALUES (gen_random_uuid(), 'PlacementConfirmed', 'Placement', $1, 1, now(), $2)`,
        [`p${i}`, JSON.stringify(p)],
      );
    await ds.transaction((em) => refreshSchoolBlocks(em));
    expect(await ds.query('SELECT * FROM quality_school_block ORDER BY 1, 2')).toEqual(kept);
  });
});
