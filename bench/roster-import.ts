/**
 * Roster import benchmark: a OneRoster 1.2 bulk roster of 20,000 people validated and applied
 * by the network worker's import code, then imported again (nothing may change).
 *
 *   pnpm bench:roster                    # 20,000 users (19,000 students, 1,000 teachers, 20 departments)
 *   pnpm bench:roster --users 5000
 *
 * Starts the network subgraph in this process on a throwaway database (`mcbench_roster_*` on
 * the server of TEST_DATABASE_URL, else DATABASE_URL, else the local default; dropped at the
 * end), opens the import through GraphQL (signed like the gateway signs), uploads the files to
 * the upload route over HTTP, and lets the network worker's parts run it in this process: the
 * relay publishes the upload's RosterImportQueued event as a BullMQ job and the roster import
 * worker runs it (ADR 0026), with a 10 s job lock that must be renewed, never lost, while the
 * import runs. Target: validated and applied in <= 60 s.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { createRelay, EventQueues, eventJobId, ROUTES } from '@medcollab/events';
import { type Actor, createLogger, parseCommandLine, runSubgraph, signActorHeaders, withDatabase } from '@medcollab/kit';
import { networkSubgraph, ROSTER_IMPORT_CONSUMER, startRosterImportWorker } from '@medcollab/network';

const args = parseCommandLine(
  `Usage: pnpm bench:roster [--users 20000]

Validates and applies a generated roster import of that many people through the network service; prints timings.`,
  { users: { type: 'string', default: '20000' } },
);
const USERS = Number(args.users);
const TEACHERS = Math.max(1, Math.round(USERS / 20));
const DEPARTMENTS = 20;
const SECRET = 'bench-roster-signing-secret-0123456789abcdef';
const serverUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const line = (values: (string | number)[]) => values.join(',');
function rosterFiles(org: string): Record<string, string> {
  const orgs = [line(['sourcedId', 'status', 'dateLastModified', 'name', 'type', 'identifier', 'parentSourcedId'])];
  orgs.push(line([org, '', '', 'Bench School', 'school', '', '']));
  for (let d = 1; d <= DEPARTMENTS; d++) orgs.push(line([`${org}-D${d}`, '', '', `Department ${d}`, 'department', '', org]));
  const users = [
    line([
      'sourcedId',
      'status',
      'enabledUser',
      'orgSourcedIds',
      'role',
      'username',
      'givenName',
      'familyName',
      'email',
      'metadata.cohortYear',
    ]),
  ];
  for (let i = 1; i <= USERS; i++) {
    const teacher = i <= TEACHERS;
    users.push(
      line([
        `U${i}`,
        '',
        'true',
        teacher ? `"${org},${org}-D${(i % DEPARTMENTS) + 1}"` : org,
        teacher ? 'teacher' : 'student',
        `u${i}`,
        `Given${i}`,
        `Family${i}`,
        `u${i}@bench.example.edu`,
        teacher ? '' : 2020 + (i % 6),
      ]),
    );
  }
  const manifest = ['propertyName,value', 'manifest.version,1.0', 'oneroster.version,1.2', 'file.orgs,bulk', 'file.users,bulk'];
  return { 'manifest.csv': manifest.join('\n'), 'orgs.csv': orgs.join('\n'), 'users.csv': users.join('\n') };
}

async function main(): Promise<void> {
  const database = `mcbench_roster_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const running = await runSubgraph(networkSubgraph, {
    databaseUrl: withDatabase(serverUrl, database),
    redisUrl,
    port: 0,
    secret: SECRET,
    migrate: true,
  });
  // The network worker's parts that run an import: its relay and its roster import worker, on a
  // queue prefix of their own. The lock is the events workers' 10 s (not the roster worker's
  // 60 s default), so a 20,000-person import only completes unstalled if BullMQ renews it.
  const log = createLogger('bench-roster', 'warn');
  const prefix = `mcbench-roster-${randomBytes(4).toString('hex')}`;
  const queues = new EventQueues({ redisUrl, prefix }, log);
  const relayLoop = createRelay({ source: 'network', dataSource: running.dataSource, queues, log }).start();
  const rosterWorker = startRosterImportWorker(
    { dataSource: running.dataSource, redisUrl, prefix, log },
    { lockDurationMs: 10_000, stalledIntervalMs: 5_000 },
  );
  const queue = queues.get(ROSTER_IMPORT_CONSUMER);
  /** Waits for the import's job to complete; returns how often BullMQ started it and judged it stalled. */
  const jobDone = async (importId: string) => {
    for (;;) {
      const [event] = (await running.dataSource.query(
        `SELECT id FROM outbox WHERE event_type = 'RosterImportQueued' AND aggregate_id = $1`,
        [importId],
      )) as { id: string }[];
      const job = event ? await queue.getJob(eventJobId(event.id, ROSTER_IMPORT_CONSUMER)) : undefined;
      if (job && (await job.getState()) === 'completed') return { started: job.attemptsStarted, stalled: job.stalledCounter };
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  let n = 0;
  const call = async (actor: Actor, query: string, variables: Record<string, unknown>) => {
    const payload = JSON.stringify({ query, variables });
    const headers = signActorHeaders(actor, { secret: SECRET, requestId: `bench-${++n}`, body: payload });
    const response = await fetch(running.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: payload,
    });
    const body = (await response.json()) as { data?: Record<string, any>; errors?: unknown[] }; // eslint-disable-line @typescript-eslint/no-explicit-any
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
  try {
    const networkAdmin: Actor = { personId: '00000000-0000-4000-8000-000000000001', institutionId: null, roles: ['NETWORK_ADMIN'] };
    const { createInstitution: school } = await call(
      networkAdmin,
      `mutation($input: CreateInstitutionInput!) { createInstitution(input: $input) { id } }`,
      {
        input: { name: 'Bench School', kind: 'SCHOOL', timezone: 'Europe/Berlin', sourcedId: 'BENCH-SCHOOL' },
      },
    );
    const integration: Actor = { personId: '00000000-0000-4000-8000-000000000002', institutionId: school.id, roles: ['INTEGRATION'] };
    const files = rosterFiles('BENCH-SCHOOL');
    const bytes = Object.values(files).reduce((sum, f) => sum + Buffer.byteLength(f), 0);

    // Counted per phase (the institution's creation above wrote events of its own), people's events
    // apart from the audit trail's AuditRecorded batches (ADR 0023), which carry no fact of their own,
    // and the upload's RosterImportQueued, which queues the import's job (ADR 0026).
    const outboxCount = async () =>
      (
        (await running.dataSource.query(
          `SELECT count(*)::int AS n FROM outbox WHERE event_type NOT IN ('AuditRecorded', 'RosterImportQueued')`,
        )) as [{ n: number }]
      )[0].n;
    const run = async (label: string, applyMode: string) => {
      const { startRosterImport: link } = await call(
        integration,
        `mutation($input: StartRosterImportInput!) { startRosterImport(input: $input) { uploadPath import { id } } }`,
        { input: { institutionId: school.id, format: 'ONEROSTER_1_2_CSV', syncMode: 'FULL', applyMode } },
      );
      const form = new FormData();
      for (const [name, text] of Object.entries(files)) form.append(name, new Blob([text]), name);
      const before = await outboxCount();
      const t0 = performance.now();
      const uploaded = await fetch(new URL(link.uploadPath, running.url), { method: 'POST', body: form });
      if (uploaded.status !== 202) throw new Error(`upload: ${uploaded.status} ${await uploaded.text()}`);
      const t1 = performance.now();
      const job = await jobDone(link.import.id);
      const t2 = performance.now();
      const { rosterImport: result } = await call(
        integration,
        `query($id: ID!) { rosterImport(id: $id) { status issueCount error counts { rows created updated unchanged deactivated } } }`,
        { id: link.import.id },
      );
      console.log(
        `${label.padEnd(22)} upload ${((t1 - t0) / 1000).toFixed(2)} s, validate+apply ${((t2 - t1) / 1000).toFixed(2)} s → ${result.status}, ` +
          `issues ${result.issueCount}, counts ${JSON.stringify(result.counts)}${result.error ? `, error ${result.error}` : ''}; ` +
          `job started ${job.started}x, stalled ${job.stalled}x`,
      );
      return { seconds: (t2 - t1) / 1000, result, events: (await outboxCount()) - before, job };
    };

    console.log(`${USERS} users (${TEACHERS} teachers), ${DEPARTMENTS} departments, ${(bytes / 1024 / 1024).toFixed(1)} MB of CSV`);
    const dry = await run('dry run', 'DRY_RUN');
    const first = await run('first import', 'ALL_OR_NOTHING');
    const again = await run('same files again', 'ALL_OR_NOTHING');
    console.log(
      `events written: dry run ${dry.events}, first import ${first.events} (expected ${USERS}: one Registered event per person), ` +
        `same files again ${again.events}`,
    );
    const ok =
      first.result.status === 'APPLIED' &&
      first.result.counts.created === USERS + DEPARTMENTS &&
      again.result.counts.created + again.result.counts.updated === 0 &&
      dry.events === 0 &&
      first.events === USERS &&
      again.events === 0 &&
      first.seconds <= 60 &&
      [dry, first, again].every((phase) => phase.job.started === 1 && phase.job.stalled === 0);
    console.log(
      `target (<= 60 s, exact counts, idempotent, each job run once and never stalled): ${ok ? 'met' : 'NOT met'}; dry run ${dry.seconds.toFixed(2)} s`,
    );
    if (!ok) process.exitCode = 1;
  } finally {
    await rosterWorker.stop();
    await relayLoop.stop();
    // Every queue the relay filled (the people's events go to consumers the bench does not run).
    for (const consumer of new Set(Object.values(ROUTES).flat())) {
      if (consumer)
        await queues
          .get(consumer)
          .obliterate({ force: true })
          .catch(() => undefined);
    }
    await queues.close();
    await running.stop();
    await admin.query(`DROP DATABASE ${database} WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
