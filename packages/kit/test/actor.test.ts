import { bodyDigest, signActorHeaders, verifyActorHeaders, type Actor } from '../src/actor';
import { memoryReplayGuard } from '../src/replay';

const actor: Actor = { personId: 'p1', institutionId: 'i1', roles: ['COORDINATOR'] };
const secret = 'x'.repeat(32);
const body = JSON.stringify({ query: 'query Q { a }', operationName: 'Q' });

describe('gateway actor signature', () => {
  it('round-trips an actor signed with the shared secret, with what it is bound to', () => {
    const headers = signActorHeaders(actor, { secret, requestId: 'r1', body, operationName: 'Q', nonce: 'n1' });
    expect(verifyActorHeaders(headers, { secret })).toEqual({
      ok: true,
      actor,
      requestId: 'r1',
      nonce: 'n1',
      operationName: 'Q',
      bodyDigest: bodyDigest(body),
    });
  });

  it('refuses a missing, forged, tampered or expired signature', () => {
    const headers = signActorHeaders(actor, { secret, requestId: 'r1', body, now: 1_000_000 });
    expect(verifyActorHeaders({}, { secret })).toMatchObject({ ok: false, reason: 'missing gateway signature' });
    expect(verifyActorHeaders(headers, { secret: 'y'.repeat(32), now: 1_000_000 })).toMatchObject({
      ok: false,
      reason: 'bad gateway signature',
    });
    const elevated = Buffer.from(JSON.stringify({ ...actor, roles: ['NETWORK_ADMIN'] })).toString('base64url');
    expect(verifyActorHeaders({ ...headers, 'x-medcollab-actor': elevated }, { secret, now: 1_000_000 })).toMatchObject({ ok: false });
    expect(verifyActorHeaders({ ...headers, 'x-request-id': 'other' }, { secret, now: 1_000_000 })).toMatchObject({ ok: false });
    expect(verifyActorHeaders(headers, { secret, now: 1_000_000 + 61_000 })).toMatchObject({
      ok: false,
      reason: 'expired gateway signature',
    });
  });

  it('binds the signature to the body, the operation name and the nonce', () => {
    const headers = signActorHeaders(actor, { secret, requestId: 'r1', body, operationName: 'Q', now: 1_000_000 });
    const other = { query: 'mutation M { b }', operationName: 'M' };
    for (const [name, value] of [
      ['x-medcollab-body-sha256', bodyDigest(JSON.stringify(other))],
      ['x-medcollab-operation', 'M'],
      ['x-medcollab-nonce', 'another-nonce'],
    ]) {
      expect(verifyActorHeaders({ ...headers, [name!]: value }, { secret, now: 1_000_000 })).toMatchObject({
        ok: false,
        reason: 'bad gateway signature',
      });
    }
    const { ['x-medcollab-body-sha256']: _dropped, ...withoutDigest } = headers;
    expect(verifyActorHeaders(withoutDigest, { secret, now: 1_000_000 })).toMatchObject({ ok: false, reason: 'missing gateway signature' });
  });

  it('accepts a previous secret during a rotation, and only the secrets it is given', () => {
    const previous = 'p'.repeat(32);
    const signedWithPrevious = signActorHeaders(actor, { secret: previous, requestId: 'r1', body, now: 1_000_000 });
    expect(verifyActorHeaders(signedWithPrevious, { secret, previousSecrets: [previous], now: 1_000_000 })).toMatchObject({
      ok: true,
      actor,
    });
    expect(verifyActorHeaders(signedWithPrevious, { secret, now: 1_000_000 })).toMatchObject({
      ok: false,
      reason: 'bad gateway signature',
    });
    expect(verifyActorHeaders(signedWithPrevious, { secret, previousSecrets: ['q'.repeat(32)], now: 1_000_000 })).toMatchObject({
      ok: false,
    });
  });

  it('gives every signing a fresh nonce', () => {
    const a = signActorHeaders(actor, { secret, requestId: 'r1', body });
    const b = signActorHeaders(actor, { secret, requestId: 'r1', body });
    expect(a['x-medcollab-nonce']).not.toBe(b['x-medcollab-nonce']);
  });
});

describe('replay guard in memory', () => {
  it('accepts a nonce once and refuses it after', async () => {
    const guard = memoryReplayGuard();
    expect(await guard.firstSeen('n1')).toBe(true);
    expect(await guard.firstSeen('n1')).toBe(false);
    expect(await guard.firstSeen('n2')).toBe(true);
  });
});
