import { jwtVerify, SignJWT } from 'jose';
import { createAuthenticator, type AuthOptions } from '../src/auth';
import { VerifiedTokenCache } from '../src/token-cache';

// ADR 0033: verified tokens are remembered, failures never, and never past the token's exp.
const SECRET = 'token-cache-test-secret-0123456789abcdefgh';
const T0 = Date.UTC(2026, 11, 6, 12, 0, 0);

function setup(overrides: Partial<AuthOptions> = {}) {
  const clock = { ms: T0 };
  let verifications = 0;
  const authenticate = createAuthenticator({
    jwtSecret: SECRET,
    maxLifetimeS: 12 * 3600,
    clockSkewS: 0,
    now: () => clock.ms,
    verifyJwt: ((...args: Parameters<typeof jwtVerify>) => {
      verifications += 1;
      return jwtVerify(...args);
    }) as typeof jwtVerify,
    ...overrides,
  });
  return { clock, authenticate, verifications: () => verifications };
}

function token(opts: { sub?: string; expiresInS?: number; secret?: string } = {}): Promise<string> {
  const iat = Math.floor(T0 / 1000);
  return new SignJWT({ institutionId: 'school-1', roles: ['STUDENT'] })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(opts.sub ?? 'person-1')
    .setIssuedAt(iat)
    .setExpirationTime(iat + (opts.expiresInS ?? 3600))
    .sign(new TextEncoder().encode(opts.secret ?? SECRET));
}

const bearer = (jwt: string) => `Bearer ${jwt}`;

it('verifies a token once: the second request with the same token is answered from the cache', async () => {
  const { authenticate, verifications } = setup();
  const jwt = await token();
  const first = await authenticate(bearer(jwt));
  const second = await authenticate(bearer(jwt));
  expect(second).toEqual(first);
  expect(second).toEqual({ personId: 'person-1', institutionId: 'school-1', roles: ['STUDENT'] });
  expect(verifications()).toBe(1);
});

it('refuses a cached token once its exp has passed, even within the cache TTL', async () => {
  const { clock, authenticate, verifications } = setup();
  const jwt = await token({ expiresInS: 30 });
  await authenticate(bearer(jwt));
  clock.ms = T0 + 29_000;
  await authenticate(bearer(jwt));
  expect(verifications()).toBe(1);
  clock.ms = T0 + 30_000;
  await expect(authenticate(bearer(jwt))).rejects.toThrow('Token expired');
  expect(verifications()).toBe(2);
});

it('verifies again after the TTL, however long the token lives', async () => {
  const { clock, authenticate, verifications } = setup({ cacheTtlMs: 60_000 });
  const jwt = await token({ expiresInS: 3600 });
  await authenticate(bearer(jwt));
  clock.ms = T0 + 59_999;
  await authenticate(bearer(jwt));
  expect(verifications()).toBe(1);
  clock.ms = T0 + 60_000;
  await authenticate(bearer(jwt));
  expect(verifications()).toBe(2);
});

it('never accepts a wrong signature from the cache, and never caches a failure', async () => {
  const { authenticate, verifications } = setup();
  const good = await token();
  await authenticate(bearer(good));
  // Same header and claims as the cached token, signed with another secret, or with a changed signature.
  const forged = await token({ secret: 'someone-elses-secret-0123456789abcdefgh' });
  const [head, body, signature] = good.split('.');
  const tampered = `${head}.${body}.${signature!.startsWith('A') ? 'B' : 'A'}${signature!.slice(1)}`;
  for (const bad of [forged, tampered, forged, tampered])
    await expect(authenticate(bearer(bad))).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  expect(verifications()).toBe(5);
  await authenticate(bearer(good));
  expect(verifications()).toBe(5);
});

it('is bounded: the least recently used token is forgotten first', async () => {
  const { authenticate, verifications } = setup({ cacheMaxEntries: 3 });
  const jwts = await Promise.all(['a', 'b', 'c', 'd'].map((sub) => token({ sub })));
  for (const jwt of jwts.slice(0, 3)) await authenticate(bearer(jwt));
  await authenticate(bearer(jwts[0]!)); // a is now the most recently used
  await authenticate(bearer(jwts[3]!)); // d pushes out b
  expect(verifications()).toBe(4);
  await authenticate(bearer(jwts[0]!));
  await authenticate(bearer(jwts[3]!));
  expect(verifications()).toBe(4);
  await authenticate(bearer(jwts[1]!));
  expect(verifications()).toBe(5);
});

it('verifies every request when the cache is off', async () => {
  const { authenticate, verifications } = setup({ cacheMaxEntries: 0 });
  const jwt = await token();
  await authenticate(bearer(jwt));
  await authenticate(bearer(jwt));
  expect(verifications()).toBe(2);
});

it('a caller that changes its actor does not change the cached one', async () => {
  const { authenticate } = setup();
  const jwt = await token();
  const first = await authenticate(bearer(jwt));
  first.roles.push('ADMIN' as never);
  first.personId = 'someone-else';
  expect(await authenticate(bearer(jwt))).toEqual({ personId: 'person-1', institutionId: 'school-1', roles: ['STUDENT'] });
});

describe('VerifiedTokenCache', () => {
  const actor = { personId: 'p', institutionId: null, roles: ['STUDENT' as const] };

  it('never holds more than maxEntries', () => {
    const cache = new VerifiedTokenCache({ maxEntries: 100, ttlMs: 60_000, now: () => T0 });
    for (let i = 0; i < 1000; i += 1) cache.set(`token-${i}`, actor, T0 / 1000 + 3600);
    expect(cache.size).toBe(100);
    expect(cache.get('token-0')).toBeUndefined();
    expect(cache.get('token-999')).toEqual(actor);
  });

  it('does not store a token already past its exp', () => {
    const cache = new VerifiedTokenCache({ maxEntries: 10, ttlMs: 60_000, now: () => T0 });
    cache.set('old', actor, T0 / 1000);
    expect(cache.size).toBe(0);
  });
});
