import { randomUUID } from 'node:crypto';
import { createConsumer } from '@medcollab/events';
import { createDataSource, initializeDataSource } from '@medcollab/kit';
import { createTestDatabase, type TestDatabase } from '@medcollab/testing';
import { type DataSource } from 'typeorm';
import { entities } from '../src/entities';
import { migrations } from '../src/migrations';
import { AUDIT_WRITER_ROLE, AuditWriterRole1767500000000 } from '../src/migrations/1767500000000-AuditWriterRole';
import { auditEventHandlers } from '../src/projections';
import { actor, auditBatch } from './support/batches';

/**
 * The audit writer role (ADR 0023): entries are appended as a role that holds INSERT and SELECT
 * only on the trail, so PostgreSQL itself, not only the append-only triggers, refuses to rewrite
 * or remove them.
 */
let db: TestDatabase;
let ds: DataSource;
const school = randomUUID();

beforeAll(async () => {
  db = await createTestDatabase('audit', { entities, migrations });
  ds = await initializeDataSource(createDataSource({ url: db.url, entities, migrations, poolSize: 2 }), { migrate: false });
});
afterAll(async () => {
  await ds?.destroy();
  await db?.drop();
});

const TABLES = ['audit_entry', 'audit_anchor', 'audit_checkpoint'];

async function privileges(): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const table of TABLES) {
    const rows = (await ds.query(
      `SELECT p FROM unnest(ARRAY['SELECT','INSERT','UPDATE','DELETE','TRUNCATE']) AS p WHERE has_table_privilege($1, $2, p)`,
      [AUDIT_WRITER_ROLE, table],
    )) as { p: string }[];
    out[table] = rows.map((r) => r.p);
  }
  return out;
}

/** Runs `sql` as the writer role; the error PostgreSQL answers, or null. */
async function asWriter(sql: string): Promise<string | null> {
  try {
    await ds.transaction(async (em) => {
      await em.query(`SET LOCAL ROLE ${AUDIT_WRITER_ROLE}`);
      await em.query(sql);
    });
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

describe('the audit writer role', () => {
  it('holds INSERT and SELECT on the trail tables and nothing else', async () => {
    const [role] = (await ds.query(`SELECT rolcanlogin, rolsuper FROM pg_roles WHERE rolname = $1`, [AUDIT_WRITER_ROLE])) as {
      rolcanlogin: boolean;
      rolsuper: boolean;
    }[];
    expect(role).toEqual({ rolcanlogin: false, rolsuper: false });
    expect(await privileges()).toEqual(Object.fromEntries(TABLES.map((t) => [t, ['SELECT', 'INSERT']])));
  });

  it('is the role entries are appended as', async () => {
    // A probe that refuses any entry not inserted by the writer role.
    await ds.query(`
      CREATE FUNCTION writer_probe() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF current_user <> '${AUDIT_WRITER_ROLE}' THEN RAISE EXCEPTION 'appended as %', current_user; END IF;
        RETURN NEW;
      END $$`);
    await ds.query(`CREATE TRIGGER writer_probe BEFORE INSERT ON audit_entry FOR EACH ROW EXECUTE FUNCTION writer_probe()`);
    try {
      const consumer = createConsumer({ service: 'audit', dataSource: ds, handlers: auditEventHandlers() });
      const event = auditBatch(actor(['COORDINATOR'], school), [{ studentId: randomUUID(), schoolId: school }]);
      await consumer.apply({ envelope: event, previousEventId: null });
      const rows = (await ds.query(`SELECT event_id FROM audit_entry WHERE institution_id = $1`, [school])) as { event_id: string }[];
      expect(rows).toEqual([{ event_id: event.id }]);
      // The consumer's own bookkeeping ran as the connection's user again, after the append.
      expect(((await ds.query(`SELECT count(*)::int AS n FROM inbox WHERE event_id = $1`, [event.id])) as { n: number }[])[0]!.n).toBe(1);
    } finally {
      await ds.query(`DROP TRIGGER writer_probe ON audit_entry`);
      await ds.query(`DROP FUNCTION writer_probe()`);
    }
  });

  it('is refused UPDATE, DELETE and TRUNCATE by PostgreSQL itself, with the append-only triggers off', async () => {
    await ds.query(`ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only`);
    await ds.query(`ALTER TABLE audit_checkpoint DISABLE TRIGGER audit_checkpoint_append_only`);
    try {
      // The owner could now rewrite an entry: only the role's privileges stand in the way.
      await ds.query(`UPDATE audit_entry SET reason = reason WHERE institution_id = $1`, [school]);
      expect(await asWriter(`UPDATE audit_entry SET reason = 'rewritten'`)).toMatch(/permission denied for table audit_entry/);
      expect(await asWriter(`DELETE FROM audit_entry`)).toMatch(/permission denied for table audit_entry/);
      expect(await asWriter(`TRUNCATE audit_entry`)).toMatch(/permission denied for table audit_entry/);
      expect(await asWriter(`DELETE FROM audit_checkpoint`)).toMatch(/permission denied for table audit_checkpoint/);
      expect(await asWriter(`UPDATE audit_anchor SET hash = 'x'`)).toMatch(/permission denied for table audit_anchor/);
      expect(await asWriter(`SELECT count(*) FROM audit_entry`)).toBeNull();
      const [entry] = (await ds.query(`SELECT reason FROM audit_entry WHERE institution_id = $1`, [school])) as { reason: string | null }[];
      expect(entry!.reason).toBeNull();
    } finally {
      await ds.query(`ALTER TABLE audit_entry ENABLE TRIGGER audit_entry_append_only`);
      await ds.query(`ALTER TABLE audit_checkpoint ENABLE TRIGGER audit_checkpoint_append_only`);
    }
  });

  it('comes from a reversible migration that tolerates the role existing already', async () => {
    const migration = new AuditWriterRole1767500000000();
    const runner = ds.createQueryRunner();
    try {
      await migration.down(runner);
      expect(await privileges()).toEqual(Object.fromEntries(TABLES.map((t) => [t, []])));
      // The role is the server's: other databases (the template, other tests) still hold it, so it stays.
      await migration.up(runner);
      await migration.up(runner);
      expect(await privileges()).toEqual(Object.fromEntries(TABLES.map((t) => [t, ['SELECT', 'INSERT']])));
    } finally {
      await runner.release();
    }
  });
});
