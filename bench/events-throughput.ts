/**
 * Events throughput: outbox -> relay -> BullMQ -> consumer inbox, on real PostgreSQL and Redis.
 *
 *   pnpm --filter @medcollab/bench exec tsx events-throughput.ts [--events 10000] [--aggregates 1000]
 *        [--concurrency 16] [--batch 500]
 *
 * Two throwaway databases (a producer and a consumer, each with the event tables) are created
 * on TEST_DATABASE_URL / DATABASE_URL's server and dropped at the end; queues use a unique
 * Redis prefix on TEST_REDIS_URL / REDIS_URL and are removed at the end. Two phases:
 *   drain: N events are written first, then the relay and the consumer worker start; the
 *          figure is N / (time until the last effect committed).
 *   live:  the producer writes N more events while the pipeline runs; reports the rate and
 *          the end-to-end latency (commit of the change -> commit of the effect).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import {
  createConsumer,
  createEventTables,
  createOutbox,
  createWorkerRuntime,
  EventQueues,
  QuietOrmLogger,
  StudentRegistered,
  type WorkerRuntime,
} from '@medcollab/events';
import { createDataSource, createLogger, initializeDataSource, parseCommandLine, withDatabase } from '@medcollab/kit';

type QueryRunner = Parameters<typeof createEventTables>[0];
type DataSource = ReturnType<typeof createDataSource>;

const args = parseCommandLine(
  `Usage: pnpm --filter @medcollab/bench exec tsx events-throughput.ts [--events 10000] [--aggregates 1000] [--concurrency 16] [--batch 500]

Drains an outbox of generated events through relay, queue and inbox, then writes and consumes
concurrently; prints events/s, commit-to-effect latency and duplicate effects.`,
  {
    events: { type: 'string', default: '10000' },
    aggregates: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '16' },
    batch: { type: 'string', default: '500' },
  },
);
const EVENTS = Number(args.events);
const AGGREGATES = Number(args.aggregates);
const CONCURRENCY = Number(args.concurrency);
const BATCH = Number(args.batch);

const serverUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const run = randomBytes(4).toString('hex');
const prefix = `mcbench-events-${run}`;
const log = createLogger('bench-events', process.env.LOG_LEVEL ?? 'warn');

// A real contract (validated when written and again when received), routed to a bench consumer.
const CONTRACTS = { StudentRegistered };
const outbox = createOutbox('bench-producer', { StudentRegistered: ['bench-consumer'] });
const SCHOOL = randomUUID();

class BenchProducerTables1764300000000 {
  async up(q: QueryRunner) {
    await createEventTables(q);
    await q.query('CREATE TABLE bench_change (id bigserial PRIMARY KEY, account_id uuid NOT NULL, amount int NOT NULL)');
  }
  async down() {}
}
class BenchConsumerTables1764300000001 {
  async up(q: QueryRunner) {
    await createEventTables(q);
    await q.query(
      'CREATE TABLE bench_effect (id bigserial PRIMARY KEY, event_id uuid NOT NULL, account_id uuid NOT NULL, amount int NOT NULL)',
    );
  }
  async down() {}
}

async function admin<T>(work: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const databases = new Map<DataSource, string>();

async function throwawayDb(role: string, migration: new () => { up(q: QueryRunner): Promise<void> }): Promise<DataSource> {
  const name = `mcbench_events_${role}_${run}`;
  await admin((c) => c.query(`CREATE DATABASE "${name}"`));
  const ds = createDataSource({
    url: withDatabase(serverUrl, name),
    entities: [],
    migrations: [migration],
    poolSize: CONCURRENCY + 6,
    logger: new QuietOrmLogger(log),
  });
  databases.set(ds, name);
  await initializeDataSource(ds, { migrate: true });
  return ds;
}

async function writeEvents(ds: DataSource, accounts: string[], count: number): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < count; i += 100) {
    await ds.transaction(async (em) => {
      for (let j = i; j < Math.min(count, i + 100); j++) {
        const accountId = accounts[j % accounts.length]!;
        await em.query('INSERT INTO bench_change (account_id, amount) VALUES ($1, $2)', [accountId, j]);
        await outbox.append(em, StudentRegistered, accountId, {
          studentId: accountId,
          schoolId: SCHOOL,
          email: `student${j}@school.example`,
          cohortYear: 2020 + (j % 6),
          priorClinicalYears: j % 3,
        });
      }
    });
  }
  return performance.now() - started;
}

async function inboxCount(ds: DataSource): Promise<number> {
  const [row] = (await ds.query('SELECT count(*)::int AS n FROM inbox')) as { n: number }[];
  return row!.n;
}

async function waitForInbox(ds: DataSource, target: number): Promise<void> {
  const deadline = Date.now() + 300_000;
  while ((await inboxCount(ds)) < target) {
    if (Date.now() > deadline) throw new Error(`inbox stuck below ${target}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function latencies(producer: DataSource, consumer: DataSource, since: Date): Promise<number[]> {
  const written = (await producer.query('SELECT id, occurred_at FROM outbox WHERE occurred_at >= $1', [since])) as {
    id: string;
    occurred_at: Date;
  }[];
  const applied = (await consumer.query('SELECT event_id, processed_at FROM inbox')) as { event_id: string; processed_at: Date }[];
  const at = new Map(applied.map((r) => [r.event_id, r.processed_at.getTime()]));
  return written
    .map((w) => (at.get(w.id) ?? NaN) - w.occurred_at.getTime())
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
}

async function main(): Promise<void> {
  console.log(
    `events-throughput: ${EVENTS} events over ${AGGREGATES} aggregates, consumer concurrency ${CONCURRENCY}, relay batch ${BATCH}`,
  );
  console.log(`PostgreSQL ${new URL(serverUrl).host}, Redis ${new URL(redisUrl).host}, prefix ${prefix}`);
  const accounts = Array.from({ length: AGGREGATES }, () => randomUUID());
  const runtimes: WorkerRuntime[] = [];
  try {
    const producer = await throwawayDb('producer', BenchProducerTables1764300000000);
    const consumer = await throwawayDb('consumer', BenchConsumerTables1764300000001);
    const writeMs = await writeEvents(producer, accounts, EVENTS);
    console.log(
      `write   ${EVENTS} events (change + outbox, 100 per transaction): ${(writeMs / 1000).toFixed(2)} s = ${Math.round(EVENTS / (writeMs / 1000))} events/s`,
    );

    const started = performance.now();
    const producerRuntime = createWorkerRuntime({
      service: 'bench-producer',
      dataSource: producer,
      redisUrl,
      prefix,
      log,
      producer: { relay: { batchSize: BATCH, pollIntervalMs: 50 }, sweeper: { intervalMs: 1_000 } },
      healthPort: null,
    });
    const consumerRuntime = createWorkerRuntime({
      service: 'bench-consumer',
      dataSource: consumer,
      redisUrl,
      prefix,
      log,
      consumer: createConsumer({
        service: 'bench-consumer',
        dataSource: consumer,
        contracts: CONTRACTS,
        log,
        handlers: {
          StudentRegistered: async (em, e) => {
            await em.query('INSERT INTO bench_effect (event_id, account_id, amount) VALUES ($1, $2, $3)', [
              e.id,
              e.payload.studentId,
              e.payload.cohortYear,
            ]);
          },
        },
      }),
      worker: { concurrency: CONCURRENCY },
      healthPort: null,
    });
    runtimes.push(producerRuntime, consumerRuntime);
    await producerRuntime.start();
    await consumerRuntime.start();
    await waitForInbox(consumer, EVENTS);
    const drainMs = performance.now() - started;
    console.log(
      `drain   outbox -> relay -> queue -> inbox for ${EVENTS} events: ${(drainMs / 1000).toFixed(2)} s = ${Math.round(EVENTS / (drainMs / 1000))} events/s`,
    );

    const liveSince = new Date();
    const liveStarted = performance.now();
    await writeEvents(producer, accounts, EVENTS);
    await waitForInbox(consumer, 2 * EVENTS);
    const liveMs = performance.now() - liveStarted;
    const lat = await latencies(producer, consumer, liveSince);
    console.log(
      `live    writing and consuming ${EVENTS} events at once: ${(liveMs / 1000).toFixed(2)} s = ${Math.round(EVENTS / (liveMs / 1000))} events/s; ` +
        `commit-to-effect latency p50 ${percentile(lat, 50)} ms, p95 ${percentile(lat, 95)} ms, p99 ${percentile(lat, 99)} ms`,
    );
    const [dup] = (await consumer.query('SELECT count(*)::int - count(DISTINCT event_id)::int AS n FROM bench_effect')) as { n: number }[];
    console.log(`check   effects ${await inboxCount(consumer)}, duplicated effects ${dup!.n}`);
  } finally {
    for (const runtime of runtimes.reverse()) await runtime.stop();
    const queues = new EventQueues({ redisUrl, prefix }, log);
    await queues
      .get('bench-consumer')
      .obliterate({ force: true })
      .catch(() => undefined);
    await queues.close();
    for (const [ds, name] of databases) {
      await ds.destroy();
      await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
