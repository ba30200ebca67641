import { randomBytes, randomUUID } from 'node:crypto';
import { createDataSource, initializeDataSource, withDatabase } from '@medcollab/kit';
import { runId, testServices } from '@medcollab/testing';
import { type DataSource } from 'typeorm';
import { appendBatch } from '../src/data/append';
import { verifyChains } from '../src/data/verify';
import { entities } from '../src/entities';
import { migrations } from '../src/migrations';
import { AUDIT_WRITER_ROLE } from '../src/migrations/1767500000000-AuditWriterRole';
import { actor, auditBatch } from './support/batches';

/**
 * The audit migrations run by a user without CREATEROLE (a managed database's owner, ADR 0028):
 * while the DBA has not made it a member of the writer role, the migration stops with the DBA's
 * one-time step spelled out; once that is done, every migration runs and the service appends as
 * the writer role.
 */
const server = testServices().databaseUrl;
const suffix = `${runId()}_${randomBytes(4).toString('hex')}`;
const migrator = `mctest_migrator_${suffix}`;
const password = randomBytes(12).toString('hex');
const database = `mctest_audit_nocreaterole_${suffix}`;
let admin: DataSource;

const asMigrator = () => {
  const url = new URL(withDatabase(server, database));
  url.username = migrator;
  url.password = password;
  return createDataSource({ url: url.toString(), entities, migrations, poolSize: 1 });
};

beforeAll(async () => {
  admin = await initializeDataSource(createDataSource({ url: server, entities: [], migrations: [], poolSize: 1 }), { migrate: false });
  // The writer role is the server's: other databases' migrations may have made it already (tolerated as they do).
  await admin.query(`
    DO $$ BEGIN
      CREATE ROLE ${AUDIT_WRITER_ROLE} NOLOGIN;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END $$`);
  await admin.query(`CREATE ROLE ${migrator} LOGIN NOCREATEROLE NOSUPERUSER PASSWORD '${password}'`);
  await admin.query(`CREATE DATABASE ${database} OWNER ${migrator}`);
});
afterAll(async () => {
  await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  await admin.query(`DROP ROLE IF EXISTS ${migrator}`);
  await admin.destroy();
});

describe('the audit migrations run by a user without CREATEROLE', () => {
  it('stop with the DBA step while the user is not a member of the writer role', async () => {
    const [me] = (await admin.query(`SELECT rolcreaterole, rolsuper FROM pg_roles WHERE rolname = $1`, [migrator])) as {
      rolcreaterole: boolean;
      rolsuper: boolean;
    }[];
    expect(me).toEqual({ rolcreaterole: false, rolsuper: false });
    const ds = asMigrator();
    try {
      const failure = await initializeDataSource(ds, { migrate: true }).then(
        () => null,
        (error: Error & { hint?: string }) => error,
      );
      expect(failure?.message).toBe(
        `${migrator} is not a member of the audit writer role ${AUDIT_WRITER_ROLE} and may not make itself one (no CREATEROLE)`,
      );
      expect(failure?.hint).toBe(
        `A DBA runs once per server: CREATE ROLE ${AUDIT_WRITER_ROLE} NOLOGIN; GRANT ${AUDIT_WRITER_ROLE} TO ${migrator}; then the migration runs again (ADR 0023, ADR 0028).`,
      );
    } finally {
      if (ds.isInitialized) await ds.destroy();
    }
  });

  it('run once the DBA made the user a member, and entries are appended as the writer role', async () => {
    await admin.query(`GRANT ${AUDIT_WRITER_ROLE} TO ${migrator}`);
    const ds = await initializeDataSource(asMigrator(), { migrate: true });
    try {
      expect(await ds.query(`SELECT count(*)::int AS n FROM migrations`)).toEqual([{ n: migrations.length }]);
      const granted = (await ds.query(
        `SELECT p FROM unnest(ARRAY['SELECT','INSERT','UPDATE','DELETE','TRUNCATE']) AS p WHERE has_table_privilege($1, 'audit_entry', p)`,
        [AUDIT_WRITER_ROLE],
      )) as { p: string }[];
      expect(granted.map((r) => r.p)).toEqual(['SELECT', 'INSERT']);
      const school = randomUUID();
      await ds.transaction((em) =>
        appendBatch(em, auditBatch(actor(['COORDINATOR'], school), [{ studentId: randomUUID(), schoolId: school }]), {
          role: AUDIT_WRITER_ROLE,
        }),
      );
      expect(await verifyChains(ds, school)).toEqual([expect.objectContaining({ checked: 1, broken: null })]);
    } finally {
      await ds.destroy();
    }
  });
});
