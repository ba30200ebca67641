import dc from 'node:diagnostics_channel';
import { readFileSync } from 'node:fs';
import { type ClientRequest } from 'node:http';
import { ApolloGateway } from '@apollo/gateway';
import { startSupergraph, tokenFor, waitFor, type RunningSupergraph } from '@medcollab/testing';
import { DEFAULT_SUPERGRAPH_PATH } from '../src/config';
import { ECHO_SDL, echoResolvers } from './fixtures/echo';
import { startFixtureSubgraph, type FixtureSubgraph } from './fixtures/subgraph';

/**
 * A production gateway calls nobody but its subgraphs (ADR 0070): no probe of the cloud metadata
 * services (169.254.169.254, metadata.google.internal, 100.100.100.200) and no report to Apollo.
 * Watched on Node's own channel for every node:http(s) request this process starts, which is how
 * @apollo/gateway's detectors and its OTLP exporter send theirs; the gateway's fetches go to 127.0.0.1.
 */
const started: string[] = [];
const onRequest = (message: unknown) => {
  const { request } = message as { request: ClientRequest };
  started.push(`${request.host} ${request.method} ${request.path}`);
};
const outbound = () => started.filter((r) => !r.startsWith('127.0.0.1 ') && !r.startsWith('localhost '));

const secret = 'production-like-internal-secret-0123456789';
const jwtSecret = 'production-like-jwt-secret-0123456789-abcdef';
let echo: FixtureSubgraph;
let supergraph: RunningSupergraph | undefined;

beforeAll(async () => {
  dc.subscribe('http.client.request.start', onRequest);
  echo = await startFixtureSubgraph({ name: 'echo', sdl: ECHO_SDL, resolvers: echoResolvers }, { secret });
});

afterAll(async () => {
  dc.unsubscribe('http.client.request.start', onRequest);
  await supergraph?.stop();
  await echo?.stop();
});

describe('Apollo telemetry', () => {
  it('is off: a production gateway probes no metadata service and reports nothing, from start to stop', async () => {
    started.length = 0;
    supergraph = await startSupergraph({
      subgraphs: [echo],
      secret,
      jwtSecret,
      gatewayConfig: { NODE_ENV: 'production', JWT_ISSUER: 'https://idp.test', JWT_AUDIENCE: 'medcollab' },
    });
    const token = await tokenFor(
      { roles: ['STUDENT'], institutionId: 'school-1' },
      { secret: jwtSecret, issuer: 'https://idp.test', audience: 'medcollab' },
    );
    const res = await supergraph.request('{ echoActor { roles } }', { token });
    expect(res.body).toEqual({ data: { echoActor: { roles: ['STUDENT'] } } });
    // Stopping is when @apollo/gateway would send its last report.
    await supergraph.stop();
    supergraph = undefined;
    // The probes start as the gateway is constructed and the report as it stops: both are past.
    expect(started.some((r) => r.startsWith('127.0.0.1 POST /graphql'))).toBe(true);
    expect(outbound()).toEqual([]);
    expect(process.env.APOLLO_TELEMETRY_DISABLED).toBeUndefined();
  });

  // What the test above watches for does happen, and is seen, when nothing turns it off.
  it('is on in an ApolloGateway left to itself, which probes 169.254.169.254 as it is constructed', async () => {
    started.length = 0;
    const previous = process.env.APOLLO_TELEMETRY_DISABLED;
    delete process.env.APOLLO_TELEMETRY_DISABLED;
    try {
      // Never loaded, so never stopped: its report would only go at stop or after an hour.
      const bare = new ApolloGateway({ supergraphSdl: readFileSync(DEFAULT_SUPERGRAPH_PATH, 'utf8') });
      expect(bare).toBeInstanceOf(ApolloGateway);
    } finally {
      if (previous !== undefined) process.env.APOLLO_TELEMETRY_DISABLED = previous;
    }
    await waitFor('a request to 169.254.169.254', async () => outbound().some((r) => r.startsWith('169.254.169.254 ')), 30_000);
  });
});
