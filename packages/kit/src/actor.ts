import { createHmac, timingSafeEqual } from 'node:crypto';

export const ROLES = [
  'NETWORK_ADMIN',
  'INSTITUTION_ADMIN',
  'COORDINATOR',
  'QUALITY_OFFICER',
  'TEACHER',
  'CLINICAL_INSTRUCTOR',
  'MENTOR',
  'STUDENT',
  'INTEGRATION',
] as const;
export type Role = (typeof ROLES)[number];

/** The verified caller, as the gateway saw it in the JWT. */
export interface Actor {
  personId: string;
  institutionId: string | null;
  roles: Role[];
}

/** Headers the gateway adds to every subgraph request. */
export const ACTOR_HEADER = 'x-medcollab-actor';
export const TIMESTAMP_HEADER = 'x-medcollab-timestamp';
export const SIGNATURE_HEADER = 'x-medcollab-signature';
export const REQUEST_ID_HEADER = 'x-request-id';

/** How old a signature may be; bounds how long a captured header set can be replayed. */
export const SIGNATURE_MAX_AGE_MS = 60_000;

function signature(secret: string, timestamp: string, requestId: string, actorB64: string): string {
  return createHmac('sha256', secret).update(`${timestamp}\n${requestId}\n${actorB64}`).digest('base64url');
}

/** Builds the signed headers that carry `actor` from the gateway to a subgraph. */
export function signActorHeaders(actor: Actor, opts: { secret: string; requestId: string; now?: number }): Record<string, string> {
  const timestamp = String(opts.now ?? Date.now());
  const actorB64 = Buffer.from(JSON.stringify(actor)).toString('base64url');
  return {
    [ACTOR_HEADER]: actorB64,
    [TIMESTAMP_HEADER]: timestamp,
    [REQUEST_ID_HEADER]: opts.requestId,
    [SIGNATURE_HEADER]: signature(opts.secret, timestamp, opts.requestId, actorB64),
  };
}

export type VerifiedRequest = { ok: true; actor: Actor; requestId: string } | { ok: false; reason: string };

type HeaderBag = Record<string, string | string[] | undefined>;
const one = (headers: HeaderBag, name: string): string | undefined => {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/**
 * Checks that a subgraph request was signed by the gateway within the allowed age and
 * returns the actor it carries. Anything else is refused: subgraphs are never public.
 */
export function verifyActorHeaders(headers: HeaderBag, opts: { secret: string; now?: number; maxAgeMs?: number }): VerifiedRequest {
  const actorB64 = one(headers, ACTOR_HEADER);
  const timestamp = one(headers, TIMESTAMP_HEADER);
  const given = one(headers, SIGNATURE_HEADER);
  const requestId = one(headers, REQUEST_ID_HEADER) ?? '';
  if (!actorB64 || !timestamp || !given) return { ok: false, reason: 'missing gateway signature' };
  const expected = signature(opts.secret, timestamp, requestId, actorB64);
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  if (a.length !== b.length || !timingSafeEqual(a, b)) return { ok: false, reason: 'bad gateway signature' };
  const age = (opts.now ?? Date.now()) - Number(timestamp);
  if (!Number.isFinite(age) || Math.abs(age) > (opts.maxAgeMs ?? SIGNATURE_MAX_AGE_MS)) {
    return { ok: false, reason: 'expired gateway signature' };
  }
  try {
    const actor = JSON.parse(Buffer.from(actorB64, 'base64url').toString('utf8')) as Actor;
    return { ok: true, actor, requestId };
  } catch {
    return { ok: false, reason: 'malformed actor header' };
  }
}
