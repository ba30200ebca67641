import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type KeyLike } from 'jose';
import { startSupergraph, tokenFor, type RunningSupergraph } from '@medcollab/testing';
import { ECHO_SDL, echoResolvers } from './fixtures/echo';
import { startFixtureSubgraph, type FixtureSubgraph } from './fixtures/subgraph';

const QUERY = '{ echoActor { personId roles } }';
const actor = { personId: 'person-1', institutionId: 'school-1', roles: ['STUDENT' as const] };

let echo: FixtureSubgraph;
let hs256: RunningSupergraph;

beforeAll(async () => {
  echo = await startFixtureSubgraph({ name: 'echo', sdl: ECHO_SDL, resolvers: echoResolvers });
  hs256 = await startSupergraph({ subgraphs: [echo] });
});

afterAll(async () => {
  await hs256?.stop();
  await echo?.stop();
});

function expectUnauthenticated(
  res: { status: number; body: { data?: unknown; errors?: { message: string; extensions?: Record<string, unknown> }[] } },
  message: string,
) {
  expect(res.status).toBe(401);
  expect(res.body.data).toBeUndefined();
  expect(res.body.errors).toEqual([{ message, extensions: { code: 'UNAUTHENTICATED' } }]);
}

describe('HS256 tokens', () => {
  it('accepts a valid token', async () => {
    const res = await hs256.request(QUERY, { token: await tokenFor(actor) });
    expect(res.body).toEqual({ data: { echoActor: { personId: 'person-1', roles: ['STUDENT'] } } });
  });

  it('refuses a request without a token', async () => {
    expectUnauthenticated(await hs256.request(QUERY), 'Authentication required');
  });

  it('refuses an expired token', async () => {
    expectUnauthenticated(await hs256.request(QUERY, { token: await tokenFor(actor, { expiresIn: -60 }) }), 'Token expired');
  });

  it('refuses a token signed with another secret', async () => {
    const token = await tokenFor(actor, { secret: 'someone-elses-secret-0123456789abcdefgh' });
    expectUnauthenticated(await hs256.request(QUERY, { token }), 'Invalid token');
  });

  it('refuses malformed tokens and authorization headers', async () => {
    for (const authorization of [
      'Bearer not-a-jwt',
      'Bearer a.b.c',
      'Basic dXNlcjpwYXNz',
      'Bearer ',
      (await tokenFor(actor)).slice(0, 40),
    ]) {
      expectUnauthenticated(await hs256.request(QUERY, { headers: { authorization } }), 'Invalid token');
    }
  });

  it('refuses a well-signed token whose claims are not an actor (unknown role, no expiry)', async () => {
    const key = new TextEncoder().encode('medcollab-dev-jwt-secret-change-me-please-32b');
    const unknownRole = await new SignJWT({ roles: ['ROOT'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('p')
      .setExpirationTime('1h')
      .sign(key);
    const noExpiry = await new SignJWT({ roles: ['STUDENT'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('p').sign(key);
    for (const token of [unknownRole, noExpiry]) expectUnauthenticated(await hs256.request(QUERY, { token }), 'Invalid token');
  });
});

describe('token lifetime and clock', () => {
  const YEAR = 365 * 24 * 3600;

  it('refuses a token valid for a hundred years, and one longer than JWT_MAX_LIFETIME_S (12 h)', async () => {
    expectUnauthenticated(await hs256.request(QUERY, { token: await tokenFor(actor, { expiresIn: 100 * YEAR }) }), 'Invalid token');
    expectUnauthenticated(await hs256.request(QUERY, { token: await tokenFor(actor, { expiresIn: '13h' }) }), 'Invalid token');
    expect((await hs256.request(QUERY, { token: await tokenFor(actor, { expiresIn: '12h' }) })).status).toBe(200);
  });

  it('refuses a token issued in the future, or not valid yet, beyond a small clock skew', async () => {
    expectUnauthenticated(
      await hs256.request(QUERY, { token: await tokenFor(actor, { issuedAt: YEAR, expiresIn: YEAR + 3600 }) }),
      'Invalid token',
    );
    expectUnauthenticated(await hs256.request(QUERY, { token: await tokenFor(actor, { issuedAt: 120 }) }), 'Invalid token');
    expectUnauthenticated(await hs256.request(QUERY, { token: await tokenFor(actor, { notBefore: 120 }) }), 'Invalid token');
    // Within the 30 s skew: a provider's clock a little ahead of ours is not the caller's fault.
    expect((await hs256.request(QUERY, { token: await tokenFor(actor, { issuedAt: 10, notBefore: 10 }) })).status).toBe(200);
  });

  it('refuses a token without iat (its lifetime cannot be told)', async () => {
    const key = new TextEncoder().encode('medcollab-dev-jwt-secret-change-me-please-32b');
    const token = await new SignJWT({ roles: ['STUDENT'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('p')
      .setExpirationTime('1h')
      .sign(key);
    expectUnauthenticated(await hs256.request(QUERY, { token }), 'Invalid token');
  });
});

describe('RS256 tokens verified against a JWKS', () => {
  let jwksServer: Server;
  let rs256: RunningSupergraph;
  let idpKey: KeyLike;

  const rsaToken = (key: KeyLike, kid: string) =>
    new SignJWT({ institutionId: actor.institutionId, roles: actor.roles })
      .setProtectedHeader({ alg: 'RS256', kid })
      .setSubject(actor.personId)
      .setIssuer('https://idp.test')
      .setAudience('medcollab')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(key);

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    idpKey = pair.privateKey;
    const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'idp-1', alg: 'RS256', use: 'sig' }] });
    jwksServer = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(jwks));
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
    const jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/.well-known/jwks.json`;
    rs256 = await startSupergraph({
      subgraphs: [echo],
      gatewayConfig: { JWKS_URL: jwksUrl, JWT_ISSUER: 'https://idp.test', JWT_AUDIENCE: 'medcollab' },
    });
  });

  afterAll(async () => {
    await rs256?.stop();
    await new Promise((resolve) => jwksServer?.close(resolve));
  });

  it("accepts a token signed with the identity provider's key", async () => {
    const res = await rs256.request(QUERY, { token: await rsaToken(idpKey, 'idp-1') });
    expect(res.body).toEqual({ data: { echoActor: { personId: 'person-1', roles: ['STUDENT'] } } });
  });

  it('refuses a token signed by another RSA key, under a known or an unknown key id', async () => {
    const { privateKey: otherKey } = await generateKeyPair('RS256');
    for (const kid of ['idp-1', 'attacker-1'])
      expectUnauthenticated(await rs256.request(QUERY, { token: await rsaToken(otherKey, kid) }), 'Invalid token');
  });

  it('refuses an HS256 token, even one signed with the HS256 secret', async () => {
    expectUnauthenticated(
      await rs256.request(QUERY, { token: await tokenFor(actor, { issuer: 'https://idp.test', audience: 'medcollab' }) }),
      'Invalid token',
    );
  });
});
