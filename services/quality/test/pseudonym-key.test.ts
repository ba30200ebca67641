import { randomUUID } from 'node:crypto';
import { AllocationRunPublished, createConsumer } from '@medcollab/events';
import { createDataSource } from '@medcollab/kit';
import { createTestDatabase, type TestDatabase } from '@medcollab/testing';
import { type DataSource } from 'typeorm';
import { KEY_CHANGE_REQUESTER, queueRebuildOnKeyChange, runNextRebuild } from '../src/data/rebuild-runs';
import { shortPseudonym } from '../src/domain/evaluator-buckets';
import { studentPseudonym } from '../src/domain/pseudonyms';
import { entities } from '../src/entities';
import { migrations } from '../src/migrations';
import { qualityEventHandlers } from '../src/projections';
import { envelope } from './support/events';

/**
 * A new pseudonym key (ADR 0047): the rollups hold the old key's pseudonyms, which incremental
 * apply could no longer retract, so the worker queues a rebuild when it starts with another key;
 * the rebuild derives every pseudonym again and records the key, in a new epoch.
 */
const KEY_A = 'first-key-of-our-own-0123456789-0123456789';
const KEY_B = 'second-key-of-our-own-0123456789-012345678';
const settings = (pseudonymKey: string) => ({ academicYearStartMonth: 9, minEvaluators: 5, pseudonymKey });
const students = Array.from({ length: 3 }, () => randomUUID());
let db: TestDatabase;
let ds: DataSource;

beforeAll(async () => {
  db = await createTestDatabase('quality', { entities, migrations });
  ds = createDataSource({ url: db.url, entities, migrations });
  await ds.initialize();
  const runId = randomUUID();
  const [hospitalId, departmentId, blockId] = [randomUUID(), randomUUID(), randomUUID()];
  const consumer = createConsumer({ service: 'quality', dataSource: ds, handlers: qualityEventHandlers(settings(KEY_A)) });
  const run = envelope(AllocationRunPublished, runId, {
    runId,
    schoolId: randomUUID(),
    academicYear: '2026-2027',
    variation: 'OPTIMAL',
    supersededRunIds: [],
    sites: [],
    placements: students.map((studentId) => ({
      studentId,
      hospitalId,
      departmentId,
      specialty: 'SURGERY',
      blockId,
      startsOn: '2026-09-07',
      rank: 1,
    })),
    at: '2026-06-01T10:00:00.000Z',
  });
  await consumer.apply({ envelope: run, previousEventId: null });
});
afterAll(async () => {
  await ds.destroy();
  await db.drop();
});

/** Every pseudonym the FIRST_CHOICE cells hold. */
async function heldPseudonyms(): Promise<string[]> {
  const rows = (await ds.query(
    `SELECT DISTINCT jsonb_object_keys(counts) AS p FROM rollup_cell_evaluator WHERE metric = 'FIRST_CHOICE' ORDER BY 1`,
  )) as { p: string }[];
  return rows.map((r) => r.p);
}
const pseudonymsUnder = (key: string) => students.map((s) => shortPseudonym(studentPseudonym(s, key))).sort();

describe('a new pseudonym key', () => {
  it('is taken as the rollups’ key when none is recorded, and the same key queues nothing', async () => {
    expect(await heldPseudonyms()).toEqual(pseudonymsUnder(KEY_A));
    expect(await queueRebuildOnKeyChange(ds, KEY_A)).toBe(false);
    expect(await queueRebuildOnKeyChange(ds, KEY_A)).toBe(false);
    expect(await ds.query('SELECT count(*)::int AS n FROM rebuild_run')).toEqual([{ n: 0 }]);
  });

  it('queues a rebuild, which derives every pseudonym under the new key and records it in a new epoch', async () => {
    expect(await queueRebuildOnKeyChange(ds, KEY_B)).toBe(true);
    // Asked again before the rebuild ran: the one queued is enough.
    expect(await queueRebuildOnKeyChange(ds, KEY_B)).toBe(true);
    expect(await ds.query(`SELECT status, requested_by FROM rebuild_run`)).toEqual([
      { status: 'QUEUED', requested_by: KEY_CHANGE_REQUESTER },
    ]);
    expect(await ds.query('SELECT epoch FROM quality_pseudonym_key')).toEqual([{ epoch: 0 }]);

    expect(await runNextRebuild(ds, settings(KEY_B))).toBe(true);
    expect(await heldPseudonyms()).toEqual(pseudonymsUnder(KEY_B));
    expect(await ds.query('SELECT epoch FROM quality_pseudonym_key')).toEqual([{ epoch: 1 }]);
    expect(await queueRebuildOnKeyChange(ds, KEY_B)).toBe(false);
  });
});
