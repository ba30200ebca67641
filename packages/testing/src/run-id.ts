import { Client } from 'pg';

/** A run that holds its id: the id, and how to let it go when the run ends. */
export interface ClaimedRun {
  id: string;
  release(): Promise<void>;
}

/**
 * Claims a test run id no other run against the same PostgreSQL holds: the second it started
 * (leftover databases are aged by it), held by an advisory lock on a connection that stays open
 * until the run ends. Two suites started in the same second would otherwise share, and then drop,
 * each other's templates; the later one waits for the next free second instead.
 */
export async function claimRunId(serverUrl: string): Promise<ClaimedRun> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    for (;;) {
      const id = String(Math.floor(Date.now() / 1000));
      const { rows } = await client.query<{ held: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS held', [
        `medcollab-test-run-${id}`,
      ]);
      if (rows[0]?.held) return { id, release: () => client.end() };
      await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 5));
    }
  } catch (error) {
    await client.end();
    throw error;
  }
}
