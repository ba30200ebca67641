/**
 * CPU per request of one subgraph process for the fetches the gateway sends it on the dashboard
 * operations (issue 16, ADR 0036): assessment (the portfolio's and the inbox's fetches) or network
 * (institutions + agreements, the students page) is started on its own, then sent the same signed `_entities` / root-field requests the gateway's plan sends,
 * a fixed number of times at a fixed concurrency; the figure is the subgraph process's CPU time
 * (utime + stime from /proc) divided by the requests, so it holds on a loaded machine better
 * than latency does. Reads the bench databases of `pnpm bench:operations` (demo world).
 *
 *   pnpm --filter @medcollab/bench exec tsx subgraph-cpu.ts [--service assessment|network] [--db-prefix mcbench_ops] [--requests 400] [--port 17890]
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
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
const STUDENTS = `query StudentsPage__network__0($first: Int!) {
  students(first: $first) { totalCount edges { node { id givenName familyName cohortYear school { name } } } pageInfo { hasNextPage endCursor } }
}`;

async function networkCases(db: (name: string) => string): Promise<Case[]> {
  const admin = await one<{ id: string; institution_id: string }>(
    db('network'),
    `SELECT id, institution_id FROM staff_member WHERE 'NETWORK_ADMIN' = ANY(roles) ORDER BY id LIMIT 1`,
  );
  const actor: Actor = { personId: admin.id, institutionId: admin.institution_id, roles: ['NETWORK_ADMIN'] };
  return [
    { name: 'institutions with departments + agreements (pages of 50)', query: INSTITUTIONS, variables: { first: 50 }, actor },
    { name: 'students page (50) with school', query: STUDENTS, variables: { first: 50 }, actor },
  ];
}

async function main(): Promise<void> {
  const config = loadConfig(baseConfigShape);
  const db = (name: string) => withDatabase(config.DATABASE_URL, serviceDatabaseName(name, values['db-prefix']));
  const service = values.service;
  const cases = service === 'network' ? await networkCases(db) : await assessmentCases(db);
  const url = `http://127.0.0.1:${values.port}/graphql`;
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, `services/${service}/src/index.ts`)], {
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
    for (let i = 0; ; i++) {
      const up = await fetch(url.replace(/graphql$/, 'readyz')).then(
        (r) => r.ok,
        () => false,
      );
      if (up) break;
      if (i > 600) throw new Error(`${service} did not start`);
      await new Promise((r) => setTimeout(r, 500));
    }
    console.log(
      `${service} subgraph CPU per request, ${requests} requests at concurrency ${values.concurrency}; load ${loadavg().join(' ')}`,
    );
    for (const c of cases) {
      const operationName = /query (\w+)/.exec(c.query)![1]!;
      const body = JSON.stringify({ query: c.query, variables: c.variables, operationName });
      const send = async () => {
        const headers = signActorHeaders(c.actor, {
          secret: process.env.INTERNAL_SIGNING_SECRET || DEV_INTERNAL_SECRET,
          requestId: 'cpu',
          body,
          operationName,
        });
        const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
        const json = (await res.json()) as { errors?: unknown[] };
        if (json.errors?.length) throw new Error(JSON.stringify(json.errors).slice(0, 400));
      };
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
    child.kill('SIGTERM');
  }
}

main().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});
