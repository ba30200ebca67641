import { claimRunId } from '../src/run-id';
import { testServices } from '../src/services';

describe('claimRunId', () => {
  it('never gives two runs against one server the same id, and frees an id when its run ends', async () => {
    const { databaseUrl } = testServices();
    const first = await claimRunId(databaseUrl);
    const second = await claimRunId(databaseUrl);
    try {
      expect(second.id).not.toBe(first.id);
      expect(Number(second.id)).toBeGreaterThan(Number(first.id));
    } finally {
      await second.release();
    }
    await first.release();
    const { Client } = await import('pg');
    const probe = new Client({ connectionString: databaseUrl });
    await probe.connect();
    try {
      const { rows } = await probe.query<{ held: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS held', [
        `medcollab-test-run-${first.id}`,
      ]);
      expect(rows[0]?.held).toBe(true);
    } finally {
      await probe.end();
    }
  });
});
