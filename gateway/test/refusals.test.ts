import { createLogger, ForbiddenError } from '@medcollab/kit';
import { startSupergraph, tokenFor, type RunningSupergraph } from '@medcollab/testing';
import { ECHO_SDL, echoResolvers } from './fixtures/echo';
import { PUPILS_SDL, pupilsResolvers, TASKS_SDL, tasksResolvers } from './fixtures/refusals';
import { startFixtureSubgraph, type FixtureSubgraph } from './fixtures/subgraph';

/**
 * Refusals are answers, not failures (ADR 0070): the domain's AppErrors carry no stack, so a page
 * of refused entities costs no stack formatting in the subgraph, and the client's answer is what
 * it always was. Real failures keep their stacks in the logs.
 */
let tasks: FixtureSubgraph;
let pupils: FixtureSubgraph;
let echo: FixtureSubgraph;
let supergraph: RunningSupergraph;
let token: string;
const echoLog: Record<string, unknown>[] = [];

beforeAll(async () => {
  tasks = await startFixtureSubgraph({ name: 'tasks', sdl: TASKS_SDL, resolvers: tasksResolvers });
  pupils = await startFixtureSubgraph({ name: 'pupils', sdl: PUPILS_SDL, resolvers: pupilsResolvers });
  // A real pino logger, as a subgraph writes its lines: what an operator would read.
  const destination = { write: (line: string) => void echoLog.push(JSON.parse(line) as Record<string, unknown>) };
  echo = await startFixtureSubgraph(
    { name: 'echo', sdl: ECHO_SDL, resolvers: echoResolvers },
    { log: createLogger('echo', 'info', destination) },
  );
  supergraph = await startSupergraph({ subgraphs: [tasks, pupils, echo] });
  token = await tokenFor({ roles: ['CLINICAL_INSTRUCTOR'], institutionId: 'hospital-1' });
});

afterAll(async () => {
  await supergraph?.stop();
  await Promise.all([tasks?.stop(), pupils?.stop(), echo?.stop()]);
});

/** Counts the stacks formatted (V8 calls Error.prepareStackTrace for each) while `run` runs. */
async function stacksFormattedDuring(run: () => Promise<unknown>): Promise<number> {
  const original = Error.prepareStackTrace;
  let count = 0;
  Error.prepareStackTrace = (error, frames) => {
    count++;
    return original ? original(error, frames) : `${String(error)}\n${frames.map((f) => `    at ${String(f)}`).join('\n')}`;
  };
  try {
    await run();
  } finally {
    Error.prepareStackTrace = original;
  }
  return count;
}

const QUERY = 'query Inbox { tasks(count: 4) { id pupil { id name } } }';

/** The answer as the gateway gave it before ADR 0070 (taken from the previous commit): the same bytes now. */
const ANSWER =
  '{"errors":[' +
  '{"message":"You may not see this student","path":["tasks",1,"pupil"],"extensions":{"code":"FORBIDDEN"}},' +
  '{"message":"You may not see this student","path":["tasks",3,"pupil"],"extensions":{"code":"FORBIDDEN"}}],' +
  '"data":{"tasks":[{"id":"task-0","pupil":{"id":"pupil-0","name":"Pupil pupil-0"}},{"id":"task-1","pupil":null},' +
  '{"id":"task-2","pupil":{"id":"pupil-2","name":"Pupil pupil-2"}},{"id":"task-3","pupil":null}]}}\n';

describe('refusals', () => {
  it('reach the client with their message, path and code, byte for byte as before', async () => {
    const res = await fetch(supergraph.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: QUERY, operationName: 'Inbox' }),
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(ANSWER);
  });

  it('cost no stack formatting: a page of 40 refused entities formats none', async () => {
    const body = JSON.stringify({ query: 'query Inbox { tasks(count: 80) { id pupil { id name } } }', operationName: 'Inbox' });
    const send = () =>
      fetch(supergraph.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body,
      }).then((r) => r.json() as Promise<{ errors: { extensions: { code: string } }[] }>);
    await send(); // the plan and the subgraphs' first request out of the way
    let answer: { errors: { extensions: { code: string } }[] } | undefined;
    const formatted = await stacksFormattedDuring(async () => {
      answer = await send();
    });
    expect(answer!.errors).toHaveLength(40);
    expect(answer!.errors.every((e) => e.extensions.code === 'FORBIDDEN')).toBe(true);
    // Before ADR 0070 two per refusal: the AppError's, read by the GraphQLError graphql-js wraps it
    // in, and that wrapper's own, formatted when it redefines its stack.
    expect(formatted).toBe(0);
  });

  it('are errors with no stack, and keep their code and message', () => {
    const refusal = new ForbiddenError('You may not see this student');
    expect(refusal).toBeInstanceOf(Error);
    expect(refusal.stack).toBeUndefined();
    expect([refusal.code, refusal.message, String(refusal)]).toEqual([
      'FORBIDDEN',
      'You may not see this student',
      'AppError: You may not see this student',
    ]);
  });
});

describe('a real failure', () => {
  it('still logs its stack, with the frames of the code that threw', async () => {
    echoLog.length = 0;
    const res = await supergraph.request('{ boom }', { token });
    expect(res.body.errors).toEqual([{ message: 'Internal server error', path: ['boom'], extensions: { code: 'INTERNAL_SERVER_ERROR' } }]);
    const line = echoLog.find((l) => l.msg === 'unexpected error in resolver') as { err: { stack: string } } | undefined;
    expect(line?.err.stack).toMatch(/^Error: database password is hunter2[^\n]*\n\s+at .*echo\.ts:\d+/);
  });
});
