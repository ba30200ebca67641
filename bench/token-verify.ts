/**
 * CPU per request of the gateway's token check (ADR 0033): a full verification (jose, claims,
 * zod) against an answer from the verified-token cache, for HS256 (the local secret) and RS256
 * (a key set served by a JWKS endpoint, fetched once). CPU time of this process, so the figure
 * holds on a loaded machine; each case alternates twice.
 * Usage: pnpm --filter @medcollab/bench exec tsx token-verify.ts [--requests 20000]
 */
import { createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { createAuthenticator } from '@medcollab/gateway';

const { values } = parseArgs({ options: { requests: { type: 'string', default: '20000' } } });
const requests = Number(values.requests);
const SECRET = 'token-verify-bench-secret-0123456789abcdef';
const claims = { institutionId: 'school-1', roles: ['STUDENT'] };

async function cpuMicrosPerCall(call: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 500; i += 1) await call(); // warm-up
  const before = process.cpuUsage();
  for (let i = 0; i < requests; i += 1) await call();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / requests;
}

async function main(): Promise<void> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] });
  const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(jwks));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
  const base = { jwtSecret: SECRET, maxLifetimeS: 12 * 3600, clockSkewS: 30 };
  const hsToken = await new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('p')
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(SECRET));
  const rsToken = await new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setSubject('p')
    .setIssuer('https://idp.bench')
    .setAudience('medcollab')
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(privateKey);
  const cases = [
    ['HS256', `Bearer ${hsToken}`, {}],
    ['RS256 (JWKS)', `Bearer ${rsToken}`, { jwksUrl, issuer: 'https://idp.bench', audience: 'medcollab' }],
  ] as const;
  try {
    for (const round of [1, 2])
      for (const [name, header, extra] of cases) {
        const verifyEvery = createAuthenticator({ ...base, ...extra, cacheMaxEntries: 0 });
        const cached = createAuthenticator({ ...base, ...extra });
        const full = await cpuMicrosPerCall(() => verifyEvery(header));
        const hit = await cpuMicrosPerCall(() => cached(header));
        console.log(
          `${name.padEnd(13)} round ${round}: verify ${full.toFixed(1).padStart(6)} µs CPU, cache hit ${hit.toFixed(1).padStart(5)} µs CPU (${(full / hit).toFixed(0)}×)`,
        );
      }
  } finally {
    server.close();
  }
}

void main();
