import { randomUUID } from 'node:crypto';
import { createDataSource, initializeDataSource } from '@medcollab/kit';
import { createTestDatabase, type TestDatabase } from '@medcollab/testing';
import { type DataSource } from 'typeorm';
import { ensurePartitions, PARTITION_MONTHS_AHEAD, partitionName } from '../src/data/partitions';
import { verifyChains } from '../src/data/verify';
import { entities } from '../src/entities';
import { migrations } from '../src/migrations';
import { PartitionAuditEntries1767500000001 } from '../src/migrations/1767500000001-PartitionAuditEntries';
import { appendReads } from './support/batches';

/**
 * Monthly partitions of the trail (ADR 0023): entries land in the partition of the month they
 * were recorded in, a chain verifies across a month boundary, the worker's task creates the
 * months ahead, and the migration converts a filled table both ways without losing or
 * reordering an entry.
 */
let db: TestDatabase;
let ds: DataSource;
const school = randomUUID();
const now = new Date();
const month = (plus: number) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + plus, 1));
// The last instant of this month and the first of the next.
const endOfMonth = new Date(month(1).getTime() - 1);
const startOfNext = month(1);

beforeAll(async () => {
  db = await createTestDatabase('audit', { entities, migrations });
  ds = await initializeDataSource(createDataSource({ url: db.url, entities, migrations, poolSize: 2 }), { migrate: false });
});
afterAll(async () => {
  await ds?.destroy();
  await db?.drop();
});

const append = (recordedAt: Date, students = 2) => appendReads(ds, school, recordedAt, students);

const partitions = async (): Promise<string[]> =>
  (
    (await ds.query(
      `SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'audit_entry'::regclass ORDER BY 1`,
    )) as { relname: string }[]
  ).map((r) => r.relname);

const placement = async () =>
  (await ds.query(`SELECT seq::int, tableoid::regclass::text AS partition FROM audit_entry WHERE institution_id = $1 ORDER BY seq`, [
    school,
  ])) as { seq: number; partition: string }[];

describe('monthly partitions of audit_entry', () => {
  it('are made by the migration from this month to three ahead, with a default', async () => {
    const [partitioned] = (await ds.query(`SELECT partstrat FROM pg_partitioned_table WHERE partrelid = 'audit_entry'::regclass`)) as {
      partstrat: string;
    }[];
    expect(partitioned).toEqual({ partstrat: 'r' });
    const expected = Array.from({ length: PARTITION_MONTHS_AHEAD + 1 }, (_, i) => partitionName(month(i)));
    expect(await partitions()).toEqual([...expected, 'audit_entry_default'].sort());
  });

  it('take each entry by the month it was recorded in, and the chain verifies across the boundary', async () => {
    await append(endOfMonth);
    await append(startOfNext);
    await append(startOfNext, 1);
    expect(await placement()).toEqual([
      { seq: 1, partition: partitionName(month(0)) },
      { seq: 2, partition: partitionName(month(0)) },
      { seq: 3, partition: partitionName(month(1)) },
      { seq: 4, partition: partitionName(month(1)) },
      { seq: 5, partition: partitionName(month(1)) },
    ]);
    const [report] = await verifyChains(ds, school);
    expect(report).toMatchObject({ institutionId: school, checked: 5, broken: null });
  });

  it('are created ahead by the worker task, once, leaving a month the default already holds to the default', async () => {
    const later = month(6);
    // The task did not run for months: an entry of month +6 went to the default partition.
    await append(later, 1);
    expect((await placement()).at(-1)).toEqual({ seq: 6, partition: 'audit_entry_default' });
    const stranded: string[] = [];
    // Run as if it were month +4: +4..+7 are due; +4, +5, +7 are created, +6 is left in the default.
    const created = await ensurePartitions(ds, month(4), (m) => stranded.push(m));
    expect(created).toBe(3);
    expect(stranded).toEqual([partitionName(later)]);
    expect(await partitions()).toEqual(expect.arrayContaining([partitionName(month(4)), partitionName(month(5)), partitionName(month(7))]));
    expect(await partitions()).not.toContain(partitionName(later));
    expect(await ensurePartitions(ds, month(4))).toBe(0);
    const [report] = await verifyChains(ds, school);
    expect(report).toMatchObject({ checked: 6, broken: null });
  });

  it('come from a migration that converts a filled table both ways', async () => {
    const before = (await ds.query(`SELECT id::text, seq::int, hash, recorded_at FROM audit_entry ORDER BY id`)) as unknown[];
    const migration = new PartitionAuditEntries1767500000001();
    const runner = ds.createQueryRunner();
    try {
      await runner.startTransaction();
      await migration.down(runner);
      await runner.commitTransaction();
      expect(await ds.query(`SELECT count(*)::int AS n FROM pg_partitioned_table WHERE partrelid = 'audit_entry'::regclass`)).toEqual([
        { n: 0 },
      ]);
      expect(await ds.query(`SELECT id::text, seq::int, hash, recorded_at FROM audit_entry ORDER BY id`)).toEqual(before);
      // The plain table enforces one entry per chain position again.
      const copy = `institution_id, seq, event_id, source, request_id, operation, actor_id, actor_roles, action, record_type,
        record_id, student_id, fields, occurred_at, prev_hash, hash`;
      await expect(
        ds.query(`INSERT INTO audit_entry (${copy}) SELECT ${copy} FROM audit_entry WHERE institution_id = $1 AND seq = 1`, [school]),
      ).rejects.toThrow(/audit_entry_chain_position/);

      await runner.startTransaction();
      await migration.up(runner);
      await runner.commitTransaction();
    } finally {
      await runner.release();
    }
    expect(await ds.query(`SELECT id::text, seq::int, hash, recorded_at FROM audit_entry ORDER BY id`)).toEqual(before);
    expect((await placement()).map((p) => p.partition)).toEqual([
      partitionName(month(0)),
      partitionName(month(0)),
      partitionName(month(1)),
      partitionName(month(1)),
      partitionName(month(1)),
      partitionName(month(6)), // the migration covers every month from the oldest entry's to the newest's
    ]);
    // Still append-only, and still chaining new entries after the converted ones.
    await expect(ds.query(`UPDATE audit_entry SET reason = 'x' WHERE institution_id = $1`, [school])).rejects.toThrow(/append-only/);
    await append(new Date());
    const [report] = await verifyChains(ds, school);
    expect(report).toMatchObject({ checked: 8, broken: null });
  });
});
