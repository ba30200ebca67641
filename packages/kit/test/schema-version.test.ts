import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { type MigrationInterface, type QueryRunner } from 'typeorm';
import { createDataSource, ensureDatabase, initializeDataSource, schemaVersion, withDatabase } from '../src';

class CreateThing1700000000000 implements MigrationInterface {
  async up(q: QueryRunner) {
    await q.query('CREATE TABLE thing (id int PRIMARY KEY)');
  }
  async down(q: QueryRunner) {
    await q.query('DROP TABLE thing');
  }
}
class AddThingName1700000000001 implements MigrationInterface {
  async up(q: QueryRunner) {
    await q.query('ALTER TABLE thing ADD COLUMN name text');
  }
  async down(q: QueryRunner) {
    await q.query('ALTER TABLE thing DROP COLUMN name');
  }
}

const serverUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const database = `mctest_schema_version_${randomBytes(4).toString('hex')}`;
const url = withDatabase(serverUrl, database);
const open = (migrations: (typeof CreateThing1700000000000)[]) =>
  initializeDataSource(createDataSource({ url, entities: [], migrations, poolSize: 1 }), { migrate: false });

beforeAll(() => ensureDatabase(serverUrl, database));
afterAll(async () => {
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  await admin.end();
});

describe('schemaVersion (what the init container waits for)', () => {
  it('lists every migration as pending on a database never migrated', async () => {
    const ds = await open([CreateThing1700000000000, AddThingName1700000000001]);
    await expect(schemaVersion(ds)).resolves.toEqual({
      pending: ['CreateThing1700000000000', 'AddThingName1700000000001'],
      unknown: [],
    });
    await ds.destroy();
  });

  it('is current once the release migrated, and names what a newer release applied', async () => {
    const release2 = await open([CreateThing1700000000000, AddThingName1700000000001]);
    await release2.runMigrations();
    await expect(schemaVersion(release2)).resolves.toEqual({ pending: [], unknown: [] });
    await release2.destroy();

    const release1 = await open([CreateThing1700000000000]);
    await expect(schemaVersion(release1)).resolves.toEqual({ pending: [], unknown: ['AddThingName1700000000001'] });
    await release1.destroy();
  });
});
