import { buildClientSchema, getIntrospectionQuery, type GraphQLSchema, type IntrospectionQuery } from 'graphql';
import { ROLES } from '@medcollab/kit';
import { tokenFor } from '@medcollab/testing';
import { Choices, generateRequest, type GeneratedRequest } from './support/operation-generator';
import { startWholeNetwork, type WholeNetwork } from './support/whole-network';

/**
 * Thousands of generated operations through the real gateway in front of every subgraph, as
 * callers of every role (and none) send them: valid ones, wrong ones and hostile ones. Whatever
 * comes in, the answer is a GraphQL answer: never a 5xx, every error with a code, and nothing
 * of the inside (stack frames, SQL, database errors, internal hosts) in any of it.
 */
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 800);
const SEED = Number(process.env.FUZZ_SEED ?? 20261206);
const PARALLEL = 8;

let world: WholeNetwork;
let schema: GraphQLSchema;
let tokens: (string | undefined)[];
let leaks: RegExp;

beforeAll(async () => {
  world = await startWholeNetwork();
  const { demo, pipeline } = world;
  const admin = await tokenFor({
    personId: demo.networkAdmin.id,
    institutionId: demo.networkAdmin.institutionId,
    roles: ['NETWORK_ADMIN'],
  });
  const introspection = await pipeline.supergraph.request<IntrospectionQuery>(getIntrospectionQuery(), { token: admin });
  schema = buildClientSchema(introspection.body.data!);
  const institutions = [demo.schools[0]!, demo.schools[1]!, demo.hospitals[0]!, demo.hospitals[1]!];
  tokens = [undefined, 'not-a-jwt', admin];
  for (const institution of institutions) {
    for (const role of ROLES.filter((r) => r !== 'NETWORK_ADMIN'))
      tokens.push(await tokenFor({ institutionId: institution.id, roles: [role] }));
  }
  tokens.push(await tokenFor({ personId: demo.student.id, institutionId: demo.student.institutionId, roles: ['STUDENT'] }));
  tokens.push(await tokenFor({ personId: demo.coordinator.id, institutionId: demo.coordinator.institutionId, roles: ['COORDINATOR'] }));
  // What must never reach a caller: the subgraphs' own addresses, database and Redis errors, stack frames.
  const internalHosts = Object.values(pipeline.subgraphs).map((s) => s.url.replace(/^https?:\/\//, '').replace(/\/graphql$/, ''));
  leaks = new RegExp(
    [
      ...internalHosts.map((h) => h.replace(/[.]/g, '\\.')),
      'at [^ ]+ \\([^)]*\\.[jt]s:\\d+',
      '\\.ts:\\d+:\\d+',
      'stacktrace',
      'QueryFailedError',
      'duplicate key value',
      'violates (foreign key|unique|check|not-null) constraint',
      'syntax error at or near',
      'relation \\\\?"',
      'invalid input syntax for type',
      'ECONNREFUSED',
      'ioredis',
      ':5432',
      ':6379',
    ].join('|'),
    'i',
  );
}, 600_000);

afterAll(async () => {
  await world?.stop();
});

interface Finding {
  request: GeneratedRequest;
  token: string | undefined;
  problem: string;
}

async function send(request: GeneratedRequest, token: string | undefined): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(world.pipeline.supergraph.url, {
    method: 'POST',
    headers,
    body: typeof request.body === 'string' ? request.body : JSON.stringify(request.body),
  });
  return { status: res.status, text: await res.text() };
}

/** What is wrong with one answer, if anything. */
function problemWith(status: number, text: string): string | null {
  if (status >= 500) return `HTTP ${status}`;
  const leak = leaks.exec(text);
  if (leak) return `leaks "${leak[0]}"`;
  let body: { errors?: { extensions?: { code?: unknown } }[] };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    return `HTTP ${status} with a body that is not JSON`;
  }
  const uncoded = (body.errors ?? []).find((e) => typeof e.extensions?.code !== 'string');
  if (uncoded) return `an error without extensions.code: ${JSON.stringify(uncoded)}`;
  return null;
}

describe('the supergraph under fuzzed operations', () => {
  it(`answers ${REQUESTS} generated requests without a 5xx, an uncoded error or a leak of its insides`, async () => {
    const c = new Choices(SEED);
    const pools = {
      ids: [
        ...world.demo.schools.map((s) => s.id),
        ...world.demo.hospitals.map((h) => h.id),
        world.demo.student.id,
        world.demo.coordinator.id,
        world.demo.clinicalInstructor.id,
        world.demo.clinicalInstructor.departmentId,
      ],
    };
    const jobs = Array.from({ length: REQUESTS }, () => ({ request: generateRequest(schema, c, pools), token: c.pick(tokens) }));
    const findings: Finding[] = [];
    const statuses = new Map<number, number>();
    let answeredWithData = 0;
    for (let i = 0; i < jobs.length; i += PARALLEL) {
      await Promise.all(
        jobs.slice(i, i + PARALLEL).map(async ({ request, token }) => {
          const { status, text } = await send(request, token);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          if (/"data":\{"[^"]+":[{[]/.test(text)) answeredWithData++;
          const problem = problemWith(status, text);
          if (problem) findings.push({ request, token, problem: `${problem} — ${text.slice(0, 300)}` });
        }),
      );
    }
    const report = findings
      .slice(0, 8)
      .map((f) => `${f.request.description}: ${f.problem}\n  ${JSON.stringify(f.request.body).slice(0, 400)}`);
    expect(report).toEqual([]);
    // The fuzzer must reach resolvers, not only the gateway's refusals; otherwise it proves nothing.
    expect(answeredWithData).toBeGreaterThan(REQUESTS / 20);
    expect(statuses.get(200) ?? 0).toBeGreaterThan(REQUESTS / 4);
  }, 300_000);
});
