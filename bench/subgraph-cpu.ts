/**
 * CPU per request of one subgraph process for the fetches the gateway sends it on the dashboard
 * operations (issue 16, ADR 0036): assessment (the portfolio's and the inbox's fetches), mentorship (the portfolio's), network
 * (institutions + agreements, the students page, the block board's people and places) or rotations
 * (the block board's page), or the department page's fetch of rotations, assessment or network, is started on its own, then sent the same signed `_entities` / root-field requests the gateway's plan sends,
 * a fixed number of times at a fixed concurrency; the figure is the subgraph process's CPU time
 * (utime + stime from /proc) divided by the requests, so it holds on a loaded machine better
 * than latency does. Reads the bench databases of `pnpm bench:operations` (demo world).
 *
 *   pnpm --filter @medcollab/bench exec tsx subgraph-cpu.ts [--service assessment|mentorship|network|rotations] [--db-prefix mcbench_ops]
 *     [--requests 400] [--concurrency 4] [--port 17890] [--only <case name part>] [--cpu-prof <dir>]
 *     [--baseline <another checkout> [--batches 10] [--baseline-db-prefix <p>]]   (A/B: the first case only, one request at a time;
 *     with --baseline-db-prefix the baseline reads its own copy of the world, e.g. one without a new index, and
 *     each side's PostgreSQL CPU per request is printed too)
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { watchPostgresCpu } from './postgres-cpu';
import {
  baseConfigShape,
  DEV_INTERNAL_SECRET,
  loadConfig,
  serviceDatabaseName,
  signActorHeaders,
  withDatabase,
  type Actor,
} from '@medcollab/kit';

const { values } = parseArgs({
  options: {
    'db-prefix': { type: 'string', default: 'mcbench_ops' },
    requests: { type: 'string', default: '400' },
    concurrency: { type: 'string', default: '4' },
    port: { type: 'string', default: '17890' },
    service: { type: 'string', default: 'assessment' },
    only: { type: 'string' },
    'cpu-prof': { type: 'string' },
    baseline: { type: 'string' },
    'baseline-db-prefix': { type: 'string' },
    batches: { type: 'string', default: '10' },
  },
});
const ROOT = path.resolve(__dirname, '..');
const requests = Number(values.requests);

const PORTFOLIO_ASSESSMENT = `query StudentPortfolio__assessment__3($representations: [_Any!]!, $postProfileId: ID!) {
  _entities(representations: $representations) { ... on Student {
    assessmentTasks { id status dueAt instrument { title kind } }
    competencyProgress { id competency { id } headline { level normalized } evidenceCount trend }
    readiness(postProfileId: $postProfileId) { score requirementCount metCount } } }
}`;
const INBOX_ASSESSMENT = `query TaskInbox__assessment__0($first: Int!) {
  myAssessmentTasks(first: $first) {
    edges { node { id status dueAt week role instrument { id title kind items { key label required } } subjectStudent { __typename id } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

async function one<T>(url: string, sql: string): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows[0] as T;
  } finally {
    await client.end();
  }
}

const cpuTicks = (pid: number): number => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(fields[11]) + Number(fields[12]);
};

interface Case {
  name: string;
  query: string;
  variables: Record<string, unknown>;
  actor: Actor;
  /** The policy refuses some of the fetch (FORBIDDEN errors are its answer, any other error fails the run). */
  refusals?: boolean;
}

/** Waits until the subgraph at `url` answers /readyz (5 minutes at most). */
async function waitUntilReady(url: string, service: string): Promise<void> {
  for (let i = 0; ; i++) {
    const up = await fetch(url.replace(/graphql$/, 'readyz')).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return;
    if (i > 600) throw new Error(`${service} did not start`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** Sends the case as the gateway would (signed actor headers); an answer with errors fails the run. */
function sender(c: Case): (url: string) => Promise<void> {
  const operationName = /query (\w+)/.exec(c.query)![1]!;
  const body = JSON.stringify({ query: c.query, variables: c.variables, operationName });
  return async (url) => {
    const headers = signActorHeaders(c.actor, {
      secret: process.env.INTERNAL_SIGNING_SECRET || DEV_INTERNAL_SECRET,
      requestId: 'cpu',
      body,
      operationName,
    });
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    const json = (await res.json()) as { errors?: { extensions?: { code?: string } }[] };
    const unexpected = json.errors?.filter((e) => !(c.refusals && e.extensions?.code === 'FORBIDDEN'));
    if (unexpected?.length) throw new Error(JSON.stringify(unexpected).slice(0, 400));
  };
}

async function assessmentCases(db: (name: string) => string): Promise<Case[]> {
  const student = await one<{ student_id: string; school_id: string }>(
    db('assessment'),
    `SELECT student_id, school_id FROM assessment_task GROUP BY 1, 2 ORDER BY count(*) DESC, 1 LIMIT 1`,
  );
  const profile = await one<{ id: string }>(db('assessment'), `SELECT id FROM known_post_profile ORDER BY id LIMIT 1`);
  const assessor = await one<{ assessor_id: string; institution_id: string }>(
    db('assessment'),
    `SELECT t.assessor_id, s.institution_id FROM assessment_task t JOIN known_staff s ON s.id = t.assessor_id
      GROUP BY 1, 2 ORDER BY count(*) DESC, 1 LIMIT 1`,
  );
  return [
    ...(await departmentPageCase(db, 'assessment')),
    {
      name: "portfolio's assessment fetch (tasks, progress, readiness)",
      query: PORTFOLIO_ASSESSMENT,
      variables: { representations: [{ __typename: 'Student', id: student.student_id }], postProfileId: profile.id },
      actor: { personId: student.student_id, institutionId: student.school_id, roles: ['STUDENT'] },
    },
    {
      name: 'inbox: 50 tasks with instrument items',
      query: INBOX_ASSESSMENT,
      variables: { first: 50 },
      actor: { personId: assessor.assessor_id, institutionId: assessor.institution_id, roles: ['CLINICAL_INSTRUCTOR'] },
    },
  ];
}

const INSTITUTIONS = `query InstitutionsAndAgreements__network__0($first: Int!) {
  institutionsPage(first: $first) { totalCount edges { node { id name kind departments { id name specialty } } } pageInfo { hasNextPage endCursor } }
  agreementsPage(first: $first) { totalCount edges { node { id status startsOn endsOn school { name } hospital { name } departments { name } } } pageInfo { hasNextPage endCursor } }
}`;
// 6a since ADR 0056: each row's first five departments and their number, not all of them.
const INSTITUTIONS_PAGED = `query InstitutionsAndAgreements__network__0($first: Int!, $departments: Int!) {
  institutionsPage(first: $first) { totalCount edges { node { id name kind departmentsPage(first: $departments) { totalCount edges { node { id name specialty } } } } } pageInfo { hasNextPage endCursor } }
  agreementsPage(first: $first) { totalCount edges { node { id status startsOn endsOn school { name } hospital { name } departmentsPage(first: $departments) { totalCount edges { node { name } } } } } pageInfo { hasNextPage endCursor } }
}`;
const STUDENTS = `query StudentsPage__network__0($first: Int!) {
  students(first: $first) { totalCount edges { node { id givenName familyName cohortYear school { name } } } pageInfo { hasNextPage endCursor } }
}`;

// The block board's two fetches as the gateway plans them (ADR 0024): rotations' page with the
// ids the network needs, then the network's `_entities` of those placements.
const BLOCK_BOARD_ROTATIONS = `query BlockBoard__rotations__0($blockId: ID!, $first: Int!) {
  placements(filter: {blockId: $blockId}, first: $first) {
    totalCount edges { node { id status startsOn endsOn supervisor { id } __typename studentId hospitalId departmentId } }
  }
}`;
const BLOCK_BOARD_NETWORK = `query BlockBoard__network__1($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Placement {
    student { id givenName familyName } department { id name specialty } hospital { id name } } }
}`;

/** An institution's first coordinator by id (as bench/operations.ts picks the actors), if it has one. */
async function firstCoordinator(db: (name: string) => string, institutionId: string): Promise<{ id: string } | undefined> {
  return one<{ id: string } | undefined>(
    db('network'),
    `SELECT id FROM staff_member WHERE institution_id = '${institutionId}' AND 'COORDINATOR' = ANY(roles) ORDER BY id LIMIT 1`,
  );
}

/** The busiest block (as bench/operations.ts picks it), its school's first coordinator, and its first page of 200. */
async function blockBoard(db: (name: string) => string): Promise<{ blockId: string; actor: Actor; page: Record<string, string>[] }> {
  const block = await one<{ block_id: string; school_id: string }>(
    db('rotations'),
    `SELECT p.block_id, p.school_id FROM placement p JOIN rotation_block b ON b.id = p.block_id GROUP BY 1, 2 ORDER BY count(*) DESC, 1 LIMIT 1`,
  );
  const coordinator = (await firstCoordinator(db, block.school_id))!;
  const client = new Client({ connectionString: db('rotations') });
  await client.connect();
  try {
    const page = (
      await client.query(
        `SELECT 'Placement' AS "__typename", id, student_id AS "studentId", hospital_id AS "hospitalId", department_id AS "departmentId"
           FROM placement WHERE block_id = $1 AND school_id = $2 ORDER BY starts_on, id LIMIT 200`,
        [block.block_id, block.school_id],
      )
    ).rows as Record<string, string>[];
    return { blockId: block.block_id, actor: { personId: coordinator.id, institutionId: block.school_id, roles: ['COORDINATOR'] }, page };
  } finally {
    await client.end();
  }
}

// The department page's fetches as the gateway plans them (operation 3): rotations' placements of
// the department, then, side by side, assessment's tasks of those placements and the network's
// students (the network's department and quality's figures are the other two).
const DEPARTMENT_PAGE_ROTATIONS = `query DepartmentPage__rotations__2($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Department {
    placements { __typename id status startsOn student { __typename id } } } }
}`;
const DEPARTMENT_PAGE_ASSESSMENT = `query DepartmentPage__assessment__3($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Placement { assessmentTasks { id status dueAt } } }
}`;
const DEPARTMENT_PAGE_NETWORK = `query DepartmentPage__network__4($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Student { givenName familyName } }
}`;

/**
 * The department bench/operations.ts opens (the busiest department of the busiest block), read by
 * its hospital's first coordinator (roles COORDINATOR and QUALITY_OFFICER, as the bench mints),
 * and the placements rotations shows them: the hospital's grants, i.e. confirmed, running, or
 * completed with access left (services/rotations/src/domain/access-policy.ts).
 */
async function departmentPage(
  db: (name: string) => string,
): Promise<{ departmentId: string; actor: Actor; placements: { id: string; student_id: string }[] }> {
  const block = await one<{ block_id: string; school_id: string }>(
    db('rotations'),
    `SELECT p.block_id, p.school_id FROM placement p JOIN rotation_block b ON b.id = p.block_id
      GROUP BY 1, 2, b.academic_year ORDER BY count(*) DESC, 1 LIMIT 1`,
  );
  const department = await one<{ department_id: string; hospital_id: string }>(
    db('rotations'),
    `SELECT department_id, hospital_id FROM placement WHERE block_id = '${block.block_id}' GROUP BY 1, 2 ORDER BY count(*) DESC, 1 LIMIT 1`,
  );
  // As the bench: the hospital's first coordinator, else (a generated hospital has none) the block's school's.
  const coordinator = (await firstCoordinator(db, department.hospital_id)) ?? (await firstCoordinator(db, block.school_id))!;
  const client = new Client({ connectionString: db('rotations') });
  await client.connect();
  try {
    const placements = (
      await client.query(
        `SELECT id, student_id FROM placement WHERE department_id = $1
            AND (status IN ('CONFIRMED', 'IN_PROGRESS') OR (status = 'COMPLETED' AND access_until > now()))
          ORDER BY starts_on, id`,
        [department.department_id],
      )
    ).rows as { id: string; student_id: string }[];
    return {
      departmentId: department.department_id,
      actor: { personId: coordinator.id, institutionId: department.hospital_id, roles: ['COORDINATOR', 'QUALITY_OFFICER'] },
      placements,
    };
  } finally {
    await client.end();
  }
}

/** The department page's fetch of `service` (rotations, assessment or network). */
async function departmentPageCase(db: (name: string) => string, service: string): Promise<Case[]> {
  const page = await departmentPage(db);
  const representations = {
    rotations: [{ __typename: 'Department', id: page.departmentId }],
    assessment: page.placements.map((p) => ({ __typename: 'Placement', id: p.id })),
    network: page.placements.map((p) => ({ __typename: 'Student', id: p.student_id })),
  }[service as 'rotations'];
  const query = { rotations: DEPARTMENT_PAGE_ROTATIONS, assessment: DEPARTMENT_PAGE_ASSESSMENT, network: DEPARTMENT_PAGE_NETWORK }[
    service as 'rotations'
  ];
  return [
    {
      name: `department page: ${service}'s fetch (${page.placements.length} placements)`,
      query,
      variables: { representations },
      actor: page.actor,
    },
  ];
}

async function rotationsCases(db: (name: string) => string): Promise<Case[]> {
  const board = await blockBoard(db);
  return [
    ...(await departmentPageCase(db, 'rotations')),
    {
      name: `block board: the page (${board.page.length} placements)`,
      query: BLOCK_BOARD_ROTATIONS,
      variables: { blockId: board.blockId, first: 200 },
      actor: board.actor,
    },
  ];
}

// The inbox's network fetch as the gateway plans it (operation 4): the page's students, one representation per task.
const INBOX_NETWORK = `query TaskInbox__network__1($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Student { givenName familyName } }
}`;

/**
 * The busiest assessor's first page of 50 tasks (as bench/operations.ts opens it: assigned_at DESC,
 * id) and its students as representations; and the same assessor asking for 50 students of a school
 * they hold no grant for, every one refused: what a refusal costs the subgraph (ADR 0070).
 */
async function inboxStudents(db: (name: string) => string): Promise<{ actor: Actor; page: string[]; strangers: string[] }> {
  const assessor = await one<{ id: string; institution_id: string; roles: string[] }>(
    db('network'),
    `SELECT id, institution_id, roles FROM staff_member
      WHERE id = '${(await one<{ assessor_id: string }>(db('assessment'), `SELECT assessor_id FROM assessment_task GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`)).assessor_id}'`,
  );
  const page = await one<{ students: string[] }>(
    db('assessment'),
    `SELECT array_agg(student_id ORDER BY assigned_at DESC, id) AS students FROM (SELECT student_id, assigned_at, id FROM assessment_task
      WHERE assessor_id = '${assessor.id}' AND student_id IS NOT NULL ORDER BY assigned_at DESC, id LIMIT 50) t`,
  );
  const strangers = await one<{ students: string[] }>(
    db('network'),
    `SELECT array_agg(id ORDER BY id) AS students FROM (SELECT s.id FROM student s WHERE s.school_id <> '${assessor.institution_id}'
      AND NOT EXISTS (SELECT 1 FROM hospital_access_grant g WHERE g.student_id = s.id AND g.hospital_id = '${assessor.institution_id}')
      AND NOT EXISTS (SELECT 1 FROM mentor_access_grant m WHERE m.student_id = s.id AND m.mentor_id = '${assessor.id}') ORDER BY s.id LIMIT 50) t`,
  );
  const roles = (assessor.roles.filter((r) => r !== 'NETWORK_ADMIN') as Actor['roles']).slice(0, 3);
  return {
    actor: { personId: assessor.id, institutionId: assessor.institution_id, roles },
    page: page.students,
    strangers: strangers.students,
  };
}

async function networkCases(db: (name: string) => string): Promise<Case[]> {
  const inbox = await inboxStudents(db);
  const refs = (ids: string[]) => ids.map((id) => ({ __typename: 'Student', id }));
  const admin = await one<{ id: string; institution_id: string }>(
    db('network'),
    `SELECT id, institution_id FROM staff_member WHERE 'NETWORK_ADMIN' = ANY(roles) ORDER BY id LIMIT 1`,
  );
  const actor: Actor = { personId: admin.id, institutionId: admin.institution_id, roles: ['NETWORK_ADMIN'] };
  const board = await blockBoard(db);
  return [
    { name: 'institutions with departments + agreements (pages of 50)', query: INSTITUTIONS, variables: { first: 50 }, actor },
    {
      name: 'institutions + agreements (pages of 50), 5 departments a row (ADR 0056)',
      query: INSTITUTIONS_PAGED,
      variables: { first: 50, departments: 5 },
      actor,
    },
    { name: 'students page (50) with school', query: STUDENTS, variables: { first: 50 }, actor },
    ...(await departmentPageCase(db, 'network')),
    {
      name: `block board: the placements' people and places (${board.page.length})`,
      query: BLOCK_BOARD_NETWORK,
      variables: { representations: board.page },
      actor: board.actor,
    },
    {
      name: `inbox: the page's students (${inbox.page.length}), as its assessor`,
      query: INBOX_NETWORK,
      variables: { representations: refs(inbox.page) },
      actor: inbox.actor,
      refusals: true,
    },
    {
      name: `refusals: ${inbox.strangers.length} students the assessor may not see`,
      query: INBOX_NETWORK,
      variables: { representations: refs(inbox.strangers) },
      actor: inbox.actor,
      refusals: true,
    },
  ];
}

// The portfolio's fetch of mentorship as the gateway plans it: the student's mentorships (the
// mentor's name comes from the network) and development goals.
const PORTFOLIO_MENTORSHIP = `query StudentPortfolio__mentorship__4($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Student {
    mentorships { id status format mentor { __typename id } meetingCount }
    developmentGoals { id title status targetDate } } }
}`;

/** The student with the most goals and meetings among those with a mentorship, as themselves (as bench/operations.ts asks). */
async function mentorshipCases(db: (name: string) => string): Promise<Case[]> {
  const student = await one<{ student_id: string; school_id: string }>(
    db('mentorship'),
    `SELECT x.student_id, s.school_id FROM mentorship_mentee x JOIN known_student s ON s.id = x.student_id
      LEFT JOIN development_goal g ON g.student_id = x.student_id GROUP BY 1, 2 ORDER BY count(g.id) DESC, 1 LIMIT 1`,
  );
  return [
    {
      name: "portfolio's mentorship fetch (mentorships, goals)",
      query: PORTFOLIO_MENTORSHIP,
      variables: { representations: [{ __typename: 'Student', id: student.student_id }] },
      actor: { personId: student.student_id, institutionId: student.school_id, roles: ['STUDENT'] },
    },
  ];
}

const casesOf = (service: string, db: (name: string) => string): Promise<Case[]> =>
  ({ network: networkCases, rotations: rotationsCases, assessment: assessmentCases, mentorship: mentorshipCases })[service as 'network']!(
    db,
  );

async function main(): Promise<void> {
  if (values.baseline) return compare(values.baseline);
  const config = loadConfig(baseConfigShape);
  const db = (name: string) => withDatabase(config.DATABASE_URL, serviceDatabaseName(name, values['db-prefix']));
  const service = values.service;
  const all = await casesOf(service, db);
  const cases = all.filter((c) => !values.only || c.name.includes(values.only));
  const profile = values['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(values['cpu-prof'], service)}`] : [];
  const url = `http://127.0.0.1:${values.port}/graphql`;
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', path.join(ROOT, `services/${service}/src/index.ts`)], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: values.port,
      DATABASE_PREFIX: values['db-prefix'],
      MIGRATE_ON_START: 'false',
      OTEL_SDK_DISABLED: 'true',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await waitUntilReady(url, service);
    console.log(
      `${service} subgraph CPU per request, ${requests} requests at concurrency ${values.concurrency}; load ${loadavg().join(' ')}`,
    );
    for (const c of cases) {
      const sendTo = sender(c);
      const send = () => sendTo(url);
      const run = async (n: number) => {
        let next = 0;
        await Promise.all(
          Array.from({ length: Number(values.concurrency) }, async () => {
            while (next++ < n) await send();
          }),
        );
      };
      await run(50); // warm-up: JIT, pools, SQL caches
      const before = cpuTicks(child.pid!);
      const started = Date.now();
      await run(requests);
      const cpuMs = ((cpuTicks(child.pid!) - before) * 10) / requests;
      console.log(`| ${c.name} | ${cpuMs.toFixed(2)} ms | ${((Date.now() - started) / requests).toFixed(1)} ms wall/request |`);
    }
    console.log(`load at the end: ${loadavg().join(' ')}`);
  } finally {
    // Waited for: a --cpu-prof child writes its profile as it exits.
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
}

/**
 * `--baseline <checkout>`: the same case against the baseline checkout's process and this one's,
 * started side by side on the same databases and sent batches of `--requests` in turn (A/B, then
 * B/A), so both meet the same load; CPU per request of each process from /proc.
 */
async function compare(baseline: string): Promise<void> {
  const config = loadConfig(baseConfigShape);
  const db = (name: string) => withDatabase(config.DATABASE_URL, serviceDatabaseName(name, values['db-prefix']));
  const service = values.service;
  const all = await casesOf(service, db);
  const c = all.filter((x) => !values.only || x.name.includes(values.only))[0]!;
  const roots = { baseline: path.resolve(baseline), this: ROOT };
  const port = Number(values.port);
  const prefixes = { baseline: values['baseline-db-prefix'] ?? values['db-prefix']!, this: values['db-prefix']! };
  const children = Object.entries(roots).map(([side, root], i) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, `services/${service}/src/index.ts`)], {
      cwd: root,
      env: {
        ...process.env,
        PORT: String(port + i),
        DATABASE_PREFIX: prefixes[side as 'this'],
        MIGRATE_ON_START: 'false',
        OTEL_SDK_DISABLED: 'true',
        LOG_LEVEL: 'warn',
        DATABASE_POOL_SIZE: '4',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    return { side, child, url: `http://127.0.0.1:${port + i}/graphql`, ticks: 0, n: 0 };
  });
  try {
    for (const ch of children) await waitUntilReady(ch.url, service);
    const send = sender(c);
    for (const ch of children) for (let i = 0; i < 50; i++) await send(ch.url);
    // Each side's PostgreSQL CPU, when each reads its own databases (otherwise one figure for both is meaningless).
    const own = values['baseline-db-prefix'] !== undefined;
    const watchers = own
      ? await Promise.all(
          children.map(async (ch) => {
            const client = new Client({
              connectionString: withDatabase(config.DATABASE_URL, serviceDatabaseName(service, prefixes[ch.side as 'this'])),
            });
            await client.connect();
            return { client, watch: watchPostgresCpu((sql) => client.query(sql).then((r) => r.rows)) };
          }),
        )
      : [];
    const batches = Number(values.batches);
    console.log(`${service} A/B ${c.name}: ${batches} batches of ${requests} alternated; load ${loadavg().join(' ')}`);
    for (let b = 0; b < batches; b++)
      for (const ch of b % 2 ? [...children].reverse() : children) {
        const before = cpuTicks(ch.child.pid!);
        for (let i = 0; i < requests; i++) await send(ch.url);
        const ms = (cpuTicks(ch.child.pid!) - before) * 10;
        ch.ticks += ms;
        ch.n += requests;
        process.stdout.write(`${ch.side} ${(ms / requests).toFixed(2)}  `);
      }
    console.log();
    const pgSeconds = await Promise.all(watchers.map((w) => w.watch.stop()));
    await Promise.all(watchers.map((w) => w.client.end()));
    children.forEach((ch, i) =>
      console.log(
        `| ${ch.side} | ${(ch.ticks / ch.n).toFixed(2)} ms CPU per request over ${ch.n} |` +
          (own ? ` PostgreSQL ${((pgSeconds[i]! * 1000) / ch.n).toFixed(2)} ms per request (${prefixes[ch.side as 'this']}) |` : ''),
      ),
    );
    console.log(`load at the end: ${loadavg().join(' ')}`);
  } finally {
    for (const ch of children) {
      const exited = new Promise((resolve) => ch.child.once('exit', resolve));
      ch.child.kill('SIGTERM');
      await exited;
    }
  }
}

main().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});
