import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSupergraph, tokenFor, type RunningSupergraph } from '@medcollab/testing';
import { operationHash, parseTrustedOperations } from '../src/trusted-operations';
import { ECHO_SDL, echoResolvers } from './fixtures/echo';
import { startFixtureSubgraph, type FixtureSubgraph } from './fixtures/subgraph';

const SIS = '7d0c1d2e-3a4b-4c5d-8e6f-7a8b9c0d1e2f';
const HR = '8e1d2e3f-4b5c-4d6e-9f70-8b9c0d1e2f3a';
const ALLOWED = 'query Me { echoActor { personId roles } }';
const BY_HASH = 'query Institution { echoActor { institutionId } }';

let echo: FixtureSubgraph;
let supergraph: RunningSupergraph;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'trusted-ops-'));
  const path = join(dir, 'safelist.json');
  writeFileSync(
    path,
    JSON.stringify({
      integrationDefault: 'deny',
      clients: [
        { sub: SIS, name: 'Northbridge SIS', operations: [ALLOWED], sha256: [operationHash(BY_HASH)] },
        { sub: HR, name: 'Hill HR', operations: [] },
      ],
    }),
  );
  echo = await startFixtureSubgraph({ name: 'echo', sdl: ECHO_SDL, resolvers: echoResolvers });
  supergraph = await startSupergraph({ subgraphs: [echo], gatewayConfig: { TRUSTED_OPERATIONS_PATH: path } });
});

afterAll(async () => {
  await supergraph?.stop();
  await echo?.stop();
});

const integration = (personId: string) => tokenFor({ personId, roles: ['INTEGRATION'], institutionId: 'school-1' });

describe('trusted operations', () => {
  it('lets a listed integration client run its registered operations, by document or by hash', async () => {
    const token = await integration(SIS);
    const allowed = await supergraph.request(ALLOWED, { token });
    expect(allowed.status).toBe(200);
    expect(allowed.body).toEqual({ data: { echoActor: { personId: SIS, roles: ['INTEGRATION'] } } });
    const byHash = await supergraph.request(BY_HASH, { token });
    expect(byHash.body).toEqual({ data: { echoActor: { institutionId: 'school-1' } } });
  });

  it('refuses anything else, even the same operation written differently', async () => {
    const token = await integration(SIS);
    for (const query of ['{ echoActor { personId } }', 'query Me { echoActor { personId roles }}']) {
      const refused = await supergraph.request(query, { token });
      expect(refused.status).toBe(403);
      expect(refused.body.data ?? undefined).toBeUndefined();
      expect(refused.body.errors?.[0]).toMatchObject({
        message: 'This operation is not registered for the integration client Northbridge SIS',
        extensions: { code: 'FORBIDDEN' },
      });
    }
    const hr = await supergraph.request(ALLOWED, { token: await integration(HR) });
    expect(hr.body.errors?.[0]?.message).toBe('This operation is not registered for the integration client Hill HR');
  });

  it("checks operations sent by Apollo's automatic persisted queries protocol, hash only once registered", async () => {
    const token = await integration(SIS);
    const persisted = (query: string) => ({ extensions: { persistedQuery: { version: 1, sha256Hash: operationHash(query) } } });
    // Hash alone before the document was ever sent: the gateway does not know it and runs nothing.
    const unknown = await supergraph.post({ ...persisted(BY_HASH) }, { token });
    expect(unknown.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    // Document and hash register it; afterwards the hash alone runs it, checked against the safelist each time.
    expect((await supergraph.post({ query: BY_HASH, ...persisted(BY_HASH) }, { token })).body).toEqual({
      data: { echoActor: { institutionId: 'school-1' } },
    });
    expect((await supergraph.post({ ...persisted(BY_HASH) }, { token })).body).toEqual({
      data: { echoActor: { institutionId: 'school-1' } },
    });
    // An unlisted operation is refused with its document, and is not kept: its hash alone finds nothing to run.
    const other = '{ echoActor { personId institutionId } }';
    const refused = await supergraph.post({ query: other, ...persisted(other) }, { token });
    expect(refused.status).toBe(403);
    expect(refused.body.data ?? undefined).toBeUndefined();
    expect(refused.body.errors?.[0]).toMatchObject({
      message: 'This operation is not registered for the integration client Northbridge SIS',
      extensions: { code: 'FORBIDDEN' },
    });
    const again = await supergraph.post(persisted(other), { token });
    expect(again.body.data ?? undefined).toBeUndefined();
    expect(again.body.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    // Another integration client cannot run a listed document through the hash another client registered.
    expect((await supergraph.post(persisted(BY_HASH), { token: await integration(HR) })).body.errors?.[0]?.extensions?.code).toBe(
      'FORBIDDEN',
    );
  });

  it('refuses unlisted integration accounts when the default is deny, and leaves other callers alone', async () => {
    const unlisted = await supergraph.request(ALLOWED, { token: await integration('9f2e3f40-5c6d-4e7f-a081-9c0d1e2f3a4b') });
    expect(unlisted.status).toBe(403);
    expect(unlisted.body.errors?.[0]).toMatchObject({ message: 'This integration account has no registered operations' });
    const teacher = await supergraph.request('{ echoActor { personId } }', {
      token: await tokenFor({ roles: ['TEACHER'], institutionId: 'school-1' }),
    });
    expect(teacher.body.errors).toBeUndefined();
  });

  it('refuses a malformed safelist at start-up', () => {
    expect(() => parseTrustedOperations('{"clients":[{"sub":"x","name":"X","sha256":["ABC"]}]}')).toThrow(/lower-case hex SHA-256/);
    expect(() => parseTrustedOperations('not json')).toThrow();
  });

  it('accepts the documented example, whose operations are the ones the example roster script sends', () => {
    const examples = join(__dirname, '..', '..', 'docs', 'examples');
    const text = readFileSync(join(examples, 'trusted-operations.json'), 'utf8');
    const safelist = parseTrustedOperations(text);
    const script = readFileSync(join(examples, 'roster-sync.sh'), 'utf8');
    const documents = (JSON.parse(text) as { clients: { operations: string[] }[] }).clients[0]!.operations;
    expect(documents).toHaveLength(2);
    for (const document of documents) {
      expect(script).toContain(document);
      expect(safelist.clients.get('5f0c1d2e-3a4b-4c5d-8e6f-7a8b9c0d1e2f')?.hashes.has(operationHash(document))).toBe(true);
    }
  });
});
