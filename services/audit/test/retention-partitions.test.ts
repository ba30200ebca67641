import { randomUUID } from 'node:crypto';
import { createDataSource, initializeDataSource } from '@medcollab/kit';
import { createTestDatabase, type TestDatabase } from '@medcollab/testing';
import { type DataSource } from 'typeorm';
import { ensurePartitions, partitionName } from '../src/data/partitions';
import { applyRetention } from '../src/data/retention';
import { chainedOf, ENTRY_COLUMNS, type EntryRow } from '../src/data/rows';
import { verifyChain, verifyChains } from '../src/data/verify';
import { chainHash } from '../src/domain/chain';
import { entities } from '../src/entities';
import { migrations } from '../src/migrations';
import { AuditPartitionRetirement1767730000000 } from '../src/migrations/1767730000000-AuditPartitionRetirement';
import { appendReads } from './support/batches';

/**
 * Retention by whole monthly partitions (ADR 0028): a past month is detached and dropped (or
 * archived) once every institution with entries in it allows their removal; in a month another
 * institution still keeps, the expired entries are deleted row by row; every chain still
 * verifies from its anchor, and goes on growing.
 */
let db: TestDatabase;
let ds: DataSource;
const now = new Date();
const month = (plus: number, day = 10) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + plus, day, 12));

beforeAll(async () => {
  db = await createTestDatabase('audit', { entities, migrations });
  ds = await initializeDataSource(createDataSource({ url: db.url, entities, migrations, poolSize: 2 }), { migrate: false });
  // Real partitions for the past 16 months (the task makes four at a time, from the month it is given).
  for (const m of [-16, -12, -8, -4]) await ensurePartitions(ds, month(m));
});
afterAll(async () => {
  await ds?.destroy();
  await db?.drop();
});

const append = (school: string, recordedAt: Date, students = 2) => appendReads(ds, school, recordedAt, students);

const policy = (school: string, months: number, hold = false) =>
  ds.query(
    `INSERT INTO audit_retention (institution_id, months, legal_hold, updated_by, updated_at) VALUES ($1, $2, $3, 'test', now())
     ON CONFLICT (institution_id) DO UPDATE SET months = EXCLUDED.months, legal_hold = EXCLUDED.legal_hold`,
    [school, months, hold],
  );

const attached = async (): Promise<string[]> =>
  (
    (await ds.query(
      `SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'audit_entry'::regclass ORDER BY 1`,
    )) as { relname: string }[]
  ).map((r) => r.relname);

/** Where each kept entry of a school is: its position and partition. */
const kept = async (school: string) =>
  (await ds.query(`SELECT seq::int, tableoid::regclass::text AS partition FROM audit_entry WHERE institution_id = $1 ORDER BY seq`, [
    school,
  ])) as { seq: number; partition: string }[];

const retired = async () =>
  (await ds.query(`SELECT partition, entries::int, disposition FROM audit_partition_retired ORDER BY partition`)) as {
    partition: string;
    entries: number;
    disposition: string;
  }[];

describe('retention by monthly partitions', () => {
  const a = randomUUID(); // keeps 6 months
  const b = randomUUID(); // keeps 12 months
  const c = randomUUID(); // no policy: keeps everything

  it('drops a month every institution lets go, deletes rows only in months another still keeps, and every chain verifies', async () => {
    await append(a, month(-15)); // a 1-2
    await append(b, month(-15)); // b 1-2
    await append(a, month(-10)); // a 3-4
    await append(b, month(-10)); // b 3-4
    await append(a, month(-8)); //  a 5-6
    await append(a, month(-3)); //  a 7-8
    await append(b, month(-3)); //  b 5-6
    await append(a, month(0, 1)); // a 9-10
    await append(c, month(-8), 1); // c 1: keeps month -8
    await policy(a, 6);
    await policy(b, 12);
    // Month -15: a and b both let it go, so it is dropped whole. Month -10: a lets go, b keeps
    // (12 months): a's two entries are deleted row by row. Month -8: c keeps it: a's rows deleted.
    expect(await applyRetention(ds, now)).toBe(4 + 2 + 2);
    expect(await attached()).not.toContain(partitionName(month(-15)));
    expect(await attached()).toEqual(expect.arrayContaining([partitionName(month(-10)), partitionName(month(-8))]));
    expect(await ds.query(`SELECT to_regclass($1) AS t`, [partitionName(month(-15))])).toEqual([{ t: null }]);
    expect(await retired()).toEqual(expect.arrayContaining([{ partition: partitionName(month(-15)), entries: 4, disposition: 'DROPPED' }]));
    expect(await kept(a)).toEqual([
      { seq: 7, partition: partitionName(month(-3)) },
      { seq: 8, partition: partitionName(month(-3)) },
      { seq: 9, partition: partitionName(month(0)) },
      { seq: 10, partition: partitionName(month(0)) },
    ]);
    expect(await kept(b)).toEqual([
      { seq: 3, partition: partitionName(month(-10)) },
      { seq: 4, partition: partitionName(month(-10)) },
      { seq: 5, partition: partitionName(month(-3)) },
      { seq: 6, partition: partitionName(month(-3)) },
    ]);
    expect((await kept(c)).map((e) => e.seq)).toEqual([1]);
    const reports = await verifyChains(ds);
    expect(reports.find((r) => r.institutionId === a)).toMatchObject({ anchorSeq: 6, checked: 4, broken: null });
    expect(reports.find((r) => r.institutionId === b)).toMatchObject({ anchorSeq: 2, checked: 4, broken: null });
    expect(reports.find((r) => r.institutionId === c)).toMatchObject({ anchorSeq: null, checked: 1, broken: null });
    // The chains go on from their heads; a second run has nothing left to do.
    await append(a, now, 1);
    await append(b, now, 1);
    expect(await applyRetention(ds, now)).toBe(0);
    for (const r of await verifyChains(ds)) expect(r.broken).toBeNull();
  });

  it('drops a month once the last institution keeping it lets it go', async () => {
    // b shortens its policy to 9 months: month -10 is now let go by everyone with entries in it.
    await policy(b, 9);
    expect(await applyRetention(ds, now)).toBe(2);
    expect(await attached()).not.toContain(partitionName(month(-10)));
    expect(await retired()).toEqual(expect.arrayContaining([{ partition: partitionName(month(-10)), entries: 2, disposition: 'DROPPED' }]));
    expect((await verifyChains(ds, b))[0]).toMatchObject({ anchorSeq: 4, broken: null });
    // Month -8 still holds c's entry (no policy): kept, with c's chain whole.
    expect(await attached()).toContain(partitionName(month(-8)));
    expect((await verifyChains(ds, c))[0]).toMatchObject({ checked: 1, broken: null });
  });

  it('keeps every month an institution under legal hold has entries in, and archives instead of dropping when asked', async () => {
    const held = randomUUID();
    const d = randomUUID(); // a chain's positions follow recording time: a new school for an old month
    await append(held, month(-7, 20), 1);
    await append(d, month(-7, 21), 1);
    await policy(held, 1, true);
    await policy(d, 6);
    expect(await applyRetention(ds, now, { retired: 'archive' })).toBe(1); // d's entry, row by row
    expect(await attached()).toContain(partitionName(month(-7)));
    // The hold is lifted: the month goes, to the archive schema, entries and hashes intact.
    await policy(held, 1, false);
    expect(await applyRetention(ds, now, { retired: 'archive' })).toBe(1);
    expect(await attached()).not.toContain(partitionName(month(-7)));
    expect(
      await ds.query(`SELECT count(*)::int AS n, min(hash) IS NOT NULL AS hashed FROM audit_archive.${partitionName(month(-7))}`),
    ).toEqual([{ n: 1, hashed: true }]);
    expect(await retired()).toEqual(expect.arrayContaining([{ partition: partitionName(month(-7)), entries: 1, disposition: 'ARCHIVED' }]));
    for (const r of await verifyChains(ds)) expect(r.broken).toBeNull();
  });

  it('verifies the chain through archived months, and names a forged archived entry', async () => {
    const e = randomUUID();
    await append(e, month(-6)); // e 1-2
    await append(e, month(-5)); // e 3-4
    await append(e, now, 1); //    e 5
    await policy(e, 3);
    expect(await applyRetention(ds, now, { retired: 'archive' })).toBe(4);
    const archived = [partitionName(month(-6)), partitionName(month(-5))];
    expect(await attached()).not.toEqual(expect.arrayContaining([archived[0]]));
    // From genesis, through both archived months, to the anchor and the kept entry past it.
    expect(await verifyChain(ds, e)).toMatchObject({
      anchorSeq: 4,
      start: { by: 'GENESIS', seq: 0 },
      checked: 5,
      archived: 4,
      broken: null,
    });
    expect((await verifyChains(ds)).find((r) => r.institutionId === e)).toMatchObject({ checked: 5, archived: 4, broken: null });
    const forge = async (table: string, sql: string, seq: number) => {
      await ds.query(`ALTER TABLE audit_archive.${table} DISABLE TRIGGER USER`);
      await ds.query(`UPDATE audit_archive.${table} SET ${sql} WHERE institution_id = $1 AND seq = $2`, [e, seq]);
    };
    // An archived entry changed: its hash no longer matches.
    const [second] = (await ds.query(`SELECT id, operation FROM audit_archive.${archived[0]} WHERE institution_id = $1 AND seq = 2`, [
      e,
    ])) as { id: string; operation: string }[];
    await forge(archived[0]!, `operation = 'forged'`, 2);
    expect((await verifyChain(ds, e)).broken).toMatchObject({ entryId: String(second!.id), seq: 2, problem: 'HASH' });
    await forge(archived[0]!, `operation = '${second!.operation}'`, 2);
    expect((await verifyChain(ds, e)).broken).toBeNull();
    // Changed and re-hashed consistently (the next entry's prev_hash too): the anchor that closed it says otherwise.
    const rows = (await ds.query(`SELECT ${ENTRY_COLUMNS} FROM audit_archive.${archived[1]} WHERE institution_id = $1 ORDER BY seq`, [
      e,
    ])) as EntryRow[];
    const last = rows.find((r) => Number(r.seq) === 4)!;
    const rehashed = chainHash(last.prev_hash, { ...chainedOf(last), operation: 'forged' });
    await forge(archived[1]!, `operation = 'forged', hash = '${rehashed}'`, 4);
    expect((await verifyChain(ds, e)).broken).toMatchObject({ seq: 4, problem: 'ANCHOR', found: rehashed });
    for (const table of archived) await ds.query(`DROP TABLE audit_archive.${table}`);
  });

  it('comes from a migration that goes down and up again', async () => {
    const migration = new AuditPartitionRetirement1767730000000();
    const runner = ds.createQueryRunner();
    try {
      // The archive still holds a month: down refuses to lose it.
      await runner.startTransaction();
      await expect(migration.down(runner)).rejects.toThrow(/audit_archive/);
      await runner.rollbackTransaction();
      await ds.query(`DROP TABLE audit_archive.${partitionName(month(-7))}`);
      await runner.startTransaction();
      await migration.down(runner);
      await runner.commitTransaction();
      expect(await ds.query(`SELECT to_regclass('audit_partition_retired') AS t, to_regnamespace('audit_archive') AS s`)).toEqual([
        { t: null, s: null },
      ]);
      await runner.startTransaction();
      await migration.up(runner);
      await runner.commitTransaction();
      expect(await retired()).toEqual([]);
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      await runner.release();
    }
  });
});
