import { signActorHeaders, verifyActorHeaders, type Actor } from '../src/actor';

const actor: Actor = { personId: 'p1', institutionId: 'i1', roles: ['COORDINATOR'] };
const secret = 'x'.repeat(32);

describe('gateway actor signature', () => {
  it('round-trips an actor signed with the shared secret', () => {
    const headers = signActorHeaders(actor, { secret, requestId: 'r1' });
    expect(verifyActorHeaders(headers, { secret })).toEqual({ ok: true, actor, requestId: 'r1' });
  });

  it('refuses a missing, forged, tampered or expired signature', () => {
    const headers = signActorHeaders(actor, { secret, requestId: 'r1', now: 1_000_000 });
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
});
