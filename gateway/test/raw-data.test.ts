import { startSupergraph, tokenFor, type RunningSupergraph } from '@medcollab/testing';
import { SHAPES_SDL, shapesResolvers, startRawSubgraph, type RawSubgraph } from './fixtures/shapes';
import { startFixtureSubgraph, type FixtureSubgraph } from './fixtures/subgraph';

/**
 * A subgraph answer that is nothing but data goes to the client as the subgraph's bytes (ADR
 * 0059). Three gateways over the same subgraphs: as shipped, with SINGLE_FETCH_RAW_DATA off
 * (every answer parsed), and with the single-fetch path off (the gateway's planned path). Every
 * answer must be byte for byte the planned path's; the ones that can go as bytes must have.
 */
let shapes: FixtureSubgraph;
let raw: RawSubgraph;
let fast: RunningSupergraph;
let parsed: RunningSupergraph;
let planned: RunningSupergraph;
let token: string;

beforeAll(async () => {
  shapes = await startFixtureSubgraph({ name: 'shapes', sdl: SHAPES_SDL, resolvers: shapesResolvers });
  raw = await startRawSubgraph();
  const subgraphs = [shapes, raw];
  fast = await startSupergraph({ subgraphs, gatewayConfig: { LOG_LEVEL: 'silent' } });
  parsed = await startSupergraph({ subgraphs, gatewayConfig: { LOG_LEVEL: 'silent', SINGLE_FETCH_RAW_DATA: false } });
  planned = await startSupergraph({ subgraphs, gatewayConfig: { LOG_LEVEL: 'silent', SINGLE_FETCH_PATH: false } });
  token = await tokenFor({ roles: ['STUDENT'], institutionId: 'school-1' });
});

afterAll(async () => {
  await Promise.all([fast?.stop(), parsed?.stop(), planned?.stop()]);
  await Promise.all([shapes?.stop(), raw?.stop()]);
});

/** The status and the body's exact text, as a client receives them. */
async function send(gateway: RunningSupergraph, query: string, variables?: Record<string, unknown>) {
  const res = await fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, text: await res.text() };
}

/** Sends through the three gateways (the fast one twice: its first request learns the route). */
async function compare(query: string, variables?: Record<string, unknown>) {
  await send(fast, query, variables);
  await send(parsed, query, variables);
  const served = fast.gateway.singleFetch!.served;
  const [rawBefore, singleBefore] = [served.rawData, served.singleFetch];
  const viaFast = await send(fast, query, variables);
  expect(served.singleFetch).toBe(singleBefore + 1);
  const asBytes = served.rawData > rawBefore;
  const viaParsed = await send(parsed, query, variables);
  const viaPlanned = await send(planned, query, variables);
  expect(viaFast).toEqual(viaPlanned);
  expect(viaParsed).toEqual(viaPlanned);
  return { asBytes, status: viaFast.status, text: viaFast.text };
}

describe('answers that are nothing but data go on as the subgraph sent them', () => {
  it('sends a subgraph answer of data as its bytes, the same as the planned path writes', async () => {
    const { asBytes, text } = await compare('query ($n: Int!) { shelves(first: $n) { id name mood tags } }', { n: 3 });
    expect(asBytes).toBe(true);
    expect(text.startsWith('{"data":{"shelves":[')).toBe(true);
    expect(text.endsWith('}\n')).toBe(true);
    expect(parsed.gateway.singleFetch!.served.rawData).toBe(0);
  });

  it('keeps parsing answers with errors, masked as before', async () => {
    const { asBytes, text } = await compare('{ shelf(id: "3") { id items { label weight } } }');
    expect(asBytes).toBe(false);
    expect(text).toContain('"errors"');
  });

  it.each<[string, string]>([
    [
      'errors after the data (a serializer other than Apollo Server)',
      '{"data":{"rawName":"x"},"errors":[{"message":"db at 10.0.0.7 down"}]}\n',
    ],
    ['extensions, which the gateway drops', '{"data":{"rawName":"x"},"extensions":{"internal":"10.0.0.7"}}\n'],
    ['extensions after whitespace', '{"data":{"rawName":"x"}, "extensions":{"internal":1}}\n'],
    ['no newline after the answer', '{"data":{"rawName":"x"}}'],
    ['data null', '{"data":null}\n'],
    ['"errors" as a value inside the data', '{"data":{"rawName":"errors"}}\n'],
  ])('parses an answer with %s and answers as the planned path', async (_name, answer) => {
    raw.status = 200;
    raw.answer = answer;
    const { asBytes, text } = await compare('{ rawName }');
    expect(asBytes).toBe(false);
    expect(text).not.toContain('10.0.0.7');
    expect(text).not.toContain('internal');
  });

  it('sends an answer of data from a raw subgraph as its bytes when it is written as Apollo Server writes', async () => {
    raw.status = 200;
    const data = { rawName: 'café "quoted" "errors" \u2028 </script>', rawCount: -7 };
    raw.answer = `${JSON.stringify({ data })}\n`;
    const { asBytes, text } = await compare('{ rawName rawCount }');
    expect(asBytes).toBe(true);
    expect(text).toBe(raw.answer);
    expect(JSON.parse(text)).toEqual({ data });
  });
});
