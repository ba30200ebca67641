import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { Client } from 'pg';
import { Redis } from 'ioredis';
import { bullConnection, createRelay, createSweeper, EventQueues, eventJobId, type Relay, type Sweeper } from '@medcollab/events';
import { createLogger } from '@medcollab/kit';
import { testServices, waitFor } from '@medcollab/testing';
import { QueueUnfinishedRosterImports1767715000000 } from '../src/migrations/1767715000000-QueueUnfinishedRosterImports';
import { ROSTER_IMPORT_CONSUMER, ROSTER_IMPORT_QUEUE, startRosterImportWorker } from '../src/roster/job';
import { runRosterImport } from '../src/roster/processor';
import { networkAdmin, staffOf } from './support/actors';
import { outboxEvents } from './support/db';
import { M, uniq } from './support/fixtures';
import { type NetworkHarness, ok, startNetwork } from './support/harness';
import { ROSTER_IMPORT, START_IMPORT, upload } from './support/roster';

/**
 * Issue #18 / ADR 0026: an uploaded roster import is processed as a BullMQ job. The upload's
 * RosterImportQueued event is the durable queue entry; the relay publishes it to the roster
 * import queue, the sweeper publishes it again when Redis lost it, and the `roster_import` row
 * decides what a delivery still has to do (a second delivery of a finished import does nothing).
 */
const log = createLogger('roster-job-test', 'silent');
const prefix = `mctest-roster-${randomBytes(4).toString('hex')}`;
let h: NetworkHarness;
let queues: EventQueues;
let queue: Queue;
let relay: Relay;
let sweeper: Sweeper;
let school: { id: string; name: string };
const workers: { stop(): Promise<void> }[] = [];

beforeAll(async () => {
  h = await startNetwork();
  const { redisUrl } = testServices();
  queues = new EventQueues({ redisUrl, prefix }, log);
  queue = new Queue(ROSTER_IMPORT_QUEUE, { connection: bullConnection(redisUrl), prefix });
  relay = createRelay({ source: 'network', dataSource: h.dataSource, queues, log });
  // missingAfterMs 0: a published delivery whose job is not in Redis is republished at the next sweep.
  sweeper = createSweeper({ dataSource: h.dataSource, queues, log, settings: { missingAfterMs: 0 } });
  const name = `Job School ${uniq()}`;
  const { createInstitution } = ok(
    await h.call(networkAdmin(), M.createInstitution, { input: { name, kind: 'SCHOOL', timezone: 'Europe/Berlin' } }),
  );
  school = { id: createInstitution.id, name };
}, 240_000);

afterAll(async () => {
  for (const worker of workers) await worker.stop();
  await queue.obliterate({ force: true }).catch(() => undefined);
  await queue.close();
  await queues.close();
  const redis = new Redis(testServices().redisUrl);
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
  await h.stop();
}, 240_000);

const integration = () => staffOf(school.id, 'INTEGRATION');

/** Opens an import and uploads one student in a plain CSV; returns the import's id and its queueing event's job id. */
async function uploadImport(applyMode = 'ALL_OR_NOTHING'): Promise<{ importId: string; jobId: string; email: string }> {
  const input = { institutionId: school.id, format: 'PLAIN_CSV', syncMode: 'DELTA', applyMode };
  const { startRosterImport: link } = ok(await h.call(integration(), START_IMPORT, { input }));
  const email = `job-${uniq()}@nb.edu`;
  const tag = uniq();
  const people = `kind,sourcedId,givenName,familyName,email,cohortYear\nstudent,JOB-${tag},Rosalind,Franklin,${email},2025\n`;
  const response = await upload(h, link.uploadPath, { 'people.csv': people });
  expect(response.status).toBe(202);
  const [queued] = (await outboxEvents(h.dataSource, 'RosterImportQueued')).filter((e) => e.aggregate_id === link.import.id);
  expect(queued?.payload).toEqual({ importId: link.import.id, institutionId: school.id });
  const [event] = (await h.dataSource.query(`SELECT id FROM outbox WHERE event_type = 'RosterImportQueued' AND aggregate_id = $1`, [
    link.import.id,
  ])) as { id: string }[];
  return { importId: link.import.id as string, jobId: eventJobId(event!.id, ROSTER_IMPORT_CONSUMER), email };
}

const importOf = async (id: string) => ok(await h.call(integration(), ROSTER_IMPORT, { id })).rosterImport;
const jobState = (jobId: string) => queue.getJobState(jobId);
const startWorker = () =>
  workers.push(startRosterImportWorker({ dataSource: h.dataSource, redisUrl: testServices().redisUrl, prefix, log }));
async function stopWorkers(): Promise<void> {
  for (const worker of workers.splice(0)) await worker.stop();
}
const studentsWith = async (email: string) =>
  ((await h.dataSource.query(`SELECT count(*)::int AS n FROM student WHERE email = $1`, [email])) as [{ n: number }])[0].n;

describe('roster imports as BullMQ jobs', () => {
  it('queues the upload through the outbox and runs it as a job of the roster import queue', async () => {
    const { importId, jobId, email } = await uploadImport();
    // Nothing in Redis until the relay publishes the upload's event.
    expect(await jobState(jobId)).toBe('unknown');
    await relay.publishBatch();
    expect(await jobState(jobId)).toBe('waiting');
    startWorker();
    await waitFor('the roster job to complete', async () => (await jobState(jobId)) === 'completed');
    expect((await queue.getJob(jobId))?.returnvalue).toBe('processed');
    const seen = await importOf(importId);
    expect({ status: seen.status, progress: seen.progress, created: seen.counts.created }).toEqual({
      status: 'APPLIED',
      progress: 1,
      created: 1,
    });
    expect(await studentsWith(email)).toBe(1);
    // The sweeper reads the completed job and marks the delivery consumed.
    await sweeper.sweep();
    const [delivery] = (await h.dataSource.query(
      `SELECT consumed_at IS NOT NULL AS consumed FROM outbox_delivery d JOIN outbox o ON o.id = d.event_id WHERE o.aggregate_id = $1`,
      [importId],
    )) as { consumed: boolean }[];
    expect(delivery?.consumed).toBe(true);
    await stopWorkers();
  }, 240_000);

  it('does nothing when the job of a finished import is delivered again', async () => {
    const { importId, jobId, email } = await uploadImport();
    await relay.publishBatch();
    startWorker();
    await waitFor('the roster job to complete', async () => (await jobState(jobId)) === 'completed');
    const [before] = (await h.dataSource.query(`SELECT finished_at, counts FROM roster_import WHERE id = $1`, [importId])) as unknown[];
    const eventsBefore = (await outboxEvents(h.dataSource)).filter((e) => e.event_type !== 'AuditRecorded').length;
    // The same delivery again, as BullMQ redelivers a job whose lock it judged lost.
    const job = await queue.getJob(jobId);
    const again = await queue.add(job!.name, job!.data, { jobId: `${jobId}-again` });
    await waitFor('the redelivered job to complete', async () => (await jobState(again.id!)) === 'completed');
    expect((await queue.getJob(again.id!))?.returnvalue).toBe('finished-before');
    const [after] = (await h.dataSource.query(`SELECT finished_at, counts FROM roster_import WHERE id = $1`, [importId])) as unknown[];
    expect(after).toEqual(before);
    expect((await outboxEvents(h.dataSource)).filter((e) => e.event_type !== 'AuditRecorded')).toHaveLength(eventsBefore);
    expect(await studentsWith(email)).toBe(1);
    await stopWorkers();
  }, 240_000);

  it('still runs a QUEUED import whose job Redis lost: the sweeper publishes it again', async () => {
    const { importId, jobId, email } = await uploadImport();
    await relay.publishBatch();
    // Redis loses the job before any worker took it (a flush, a failover without persistence).
    await queue.remove(jobId);
    expect(await jobState(jobId)).toBe('unknown');
    expect((await importOf(importId)).status).toBe('QUEUED');
    const swept = await sweeper.sweep();
    expect(swept.republished).toBeGreaterThanOrEqual(1);
    await relay.publishBatch();
    startWorker();
    await waitFor('the republished roster job to complete', async () => (await jobState(jobId)) === 'completed');
    expect((await importOf(importId)).status).toBe('APPLIED');
    expect(await studentsWith(email)).toBe(1);
    await stopWorkers();
  }, 240_000);

  it('leaves an import another runner holds to it, and runs again from the start one whose runner died', async () => {
    const { importId, email } = await uploadImport('ROW_BY_ROW');
    // A live runner holds the import's lock: a second delivery is 'busy' (its job retries later).
    const other = new Client({ connectionString: (h.dataSource.options as { url: string }).url });
    await other.connect();
    await other.query('SELECT pg_advisory_lock(hashtext($1))', [`network:roster-import:${importId}`]);
    expect(await runRosterImport(h.dataSource, importId, log)).toBe('busy');
    expect((await importOf(importId)).status).toBe('QUEUED');
    await other.end(); // the runner dies: its lock goes with its connection
    expect(await runRosterImport(h.dataSource, importId, log)).toBe('processed');
    const eventsAfterFirst = (await outboxEvents(h.dataSource)).filter((e) => e.event_type !== 'AuditRecorded').length;
    // A worker killed after applying every row but before writing the report left the row APPLYING:
    // the redelivered job runs it again, and the row-by-row upserts change nothing.
    await h.dataSource.query(`UPDATE roster_import SET status = 'APPLYING', progress = 0.5, finished_at = NULL WHERE id = $1`, [importId]);
    expect(await runRosterImport(h.dataSource, importId, log)).toBe('processed');
    const seen = await importOf(importId);
    expect({ status: seen.status, created: seen.counts.created, unchanged: seen.counts.unchanged }).toEqual({
      status: 'APPLIED',
      created: 0,
      unchanged: 1,
    });
    expect(await studentsWith(email)).toBe(1);
    expect((await outboxEvents(h.dataSource)).filter((e) => e.event_type !== 'AuditRecorded')).toHaveLength(eventsAfterFirst);
  }, 240_000);

  it("is published before the relay's backlog of other events", async () => {
    // Earlier tests' imports that ran without their job: their deliveries are not the point here.
    await h.dataSource.query(`UPDATE outbox_delivery SET published_at = now() WHERE consumer = $1 AND published_at IS NULL`, [
      ROSTER_IMPORT_CONSUMER,
    ]);
    // A backlog: every other delivery of this database due again, long before the upload.
    await h.dataSource.query(
      `UPDATE outbox_delivery SET published_at = NULL, next_attempt_at = now() - interval '1 hour' WHERE consumer <> $1`,
      [ROSTER_IMPORT_CONSUMER],
    );
    const { jobId } = await uploadImport();
    const oneAtATime = createRelay({ source: 'network', dataSource: h.dataSource, queues, log, settings: { batchSize: 1 } });
    expect(await oneAtATime.publishBatch()).toBe(1);
    expect(await jobState(jobId)).toBe('waiting');
    await queue.remove(jobId);
  }, 240_000);

  it('queues, on migration, the imports uploaded before imports were jobs (and only those)', async () => {
    const { importId: before } = await uploadImport();
    const { importId: current } = await uploadImport();
    // `before` as the release before left it: QUEUED by its row alone, no event.
    await h.dataSource.query(`DELETE FROM outbox WHERE event_type = 'RosterImportQueued' AND aggregate_id = $1`, [before]);
    const queueing = async () =>
      (await h.dataSource.query(
        `SELECT o.aggregate_id, o.payload, d.consumer FROM outbox o JOIN outbox_delivery d ON d.event_id = o.id
          WHERE o.event_type = 'RosterImportQueued' AND o.aggregate_id = ANY($1) ORDER BY o.aggregate_id`,
        [[before, current]],
      )) as { aggregate_id: string; payload: unknown; consumer: string }[];
    const migration = new QueueUnfinishedRosterImports1767715000000();
    const runner = h.dataSource.createQueryRunner();
    try {
      await migration.up(runner);
      const rows = await queueing();
      expect(rows.filter((r) => r.aggregate_id === before)).toEqual([
        { aggregate_id: before, payload: { importId: before, institutionId: school.id }, consumer: ROSTER_IMPORT_CONSUMER },
      ]);
      expect(rows.filter((r) => r.aggregate_id === current)).toHaveLength(1); // already had its event: none added
      await migration.down(runner);
      expect((await queueing()).map((r) => r.aggregate_id)).toEqual([current]);
    } finally {
      await runner.release();
    }
  }, 240_000);
});
