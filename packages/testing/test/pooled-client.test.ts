import { Client } from 'pg';
import { createDataSource, initializeDataSource } from '@medcollab/kit';
import { createTestDatabase, type TestDatabase } from '../src/database';
import { waitFor } from '../src/pipeline';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('kitdb', { entities: [], migrations: [] });
});
afterAll(() => db.drop());

describe('initializeDataSource', () => {
  it('recovers when PostgreSQL terminates a connection checked out between queries', async () => {
    const ds = await initializeDataSource(createDataSource({ url: db.url, entities: [], migrations: [], poolSize: 2 }), { migrate: false });
    const crashes: unknown[] = [];
    const onUncaught = (error: unknown) => crashes.push(error);
    process.on('uncaughtException', onUncaught);
    try {
      const runner = ds.createQueryRunner();
      await runner.startTransaction();
      const { pid } = ((await runner.query('SELECT pg_backend_pid() AS pid')) as { pid: number }[])[0]!;
      // The transaction now waits (as the relay waits on Redis) while an admin kills its backend.
      const admin = new Client({ connectionString: db.url });
      await admin.connect();
      await admin.query('SELECT pg_terminate_backend($1)', [pid]);
      // Wait until the server has really ended that backend (not for a fixed time).
      await waitFor(
        'the backend to be gone',
        async () => {
          const { rows } = await admin.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = $1', [pid]);
          return (rows[0] as { n: number }).n === 0;
        },
        60_000,
      );
      await admin.end();
      await expect(runner.query('SELECT 1')).rejects.toThrow();
      await runner.release().catch(() => undefined);
      // The pool hands out a fresh connection afterwards.
      expect(await ds.query('SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
      expect(crashes).toEqual([]);
    } finally {
      process.off('uncaughtException', onUncaught);
      await ds.destroy();
    }
  });
});
