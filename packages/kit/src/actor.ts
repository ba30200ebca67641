import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { type Role } from '@medcollab/tokens';

export { ROLES, type Role } from '@medcollab/tokens';

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
/** Unique per subgraph fetch (one client request makes several): what a replay is recognised by. */
export const NONCE_HEADER = 'x-medcollab-nonce';
/** SHA-256 (base64url) of the exact body sent; the subgraph recomputes it from the bytes it read. */
export const BODY_DIGEST_HEADER = 'x-medcollab-body-sha256';
/** The operation name in the body (empty when it has none), signed so logs and audit can trust it. */
export const OPERATION_HEADER = 'x-medcollab-operation';

/** How old a signature may be; bounds how long a nonce must be remembered to refuse a replay. */
export const SIGNATURE_MAX_AGE_MS = 60_000;

/** SHA-256 of a request body, as carried in {@link BODY_DIGEST_HEADER}. */
export const bodyDigest = (body: string | Buffer): string => createHash('sha256').update(body).digest('base64url');

/** What the signature covers, besides the actor: everything that makes the request this request. */
export interface SignedRequestFields {
  timestamp: string;
  requestId: string;
  nonce: string;
  operationName: string;
  bodyDigest: string;
  actorB64: string;
}

function signature(secret: string, f: SignedRequestFields): string {
  // A version tag, so a header set signed under the earlier scheme (no body, no nonce) never verifies.
  const material = ['v2', f.timestamp, f.requestId, f.nonce, f.operationName, f.bodyDigest, f.actorB64].join('\n');
  return createHmac('sha256', secret).update(material).digest('base64url');
}

export interface SignOptions {
  secret: string;
  requestId: string;
  /** The exact body that will be sent (the subgraph digests the bytes it reads). */
  body: string;
  /** The body's operationName, if any. */
  operationName?: string | null;
  now?: number;
  /** Default: a random UUID; tests pass one to replay a request on purpose. */
  nonce?: string;
}

/** Signs an already encoded actor into a subgraph request; the gateway's fetcher calls this with the final body. */
export function signEncodedActor(actorB64: string, opts: SignOptions): Record<string, string> {
  const fields: SignedRequestFields = {
    timestamp: String(opts.now ?? Date.now()),
    requestId: opts.requestId,
    nonce: opts.nonce ?? randomUUID(),
    operationName: opts.operationName ?? '',
    bodyDigest: bodyDigest(opts.body),
    actorB64,
  };
  return {
    [ACTOR_HEADER]: actorB64,
    [TIMESTAMP_HEADER]: fields.timestamp,
    [REQUEST_ID_HEADER]: fields.requestId,
    [NONCE_HEADER]: fields.nonce,
    [OPERATION_HEADER]: fields.operationName,
    [BODY_DIGEST_HEADER]: fields.bodyDigest,
    [SIGNATURE_HEADER]: signature(opts.secret, fields),
  };
}

export const encodeActor = (actor: Actor): string => Buffer.from(JSON.stringify(actor)).toString('base64url');

/** Builds the signed headers that carry `actor` from the gateway to a subgraph, bound to one body. */
export function signActorHeaders(actor: Actor, opts: SignOptions): Record<string, string> {
  return signEncodedActor(encodeActor(actor), opts);
}

export type VerifiedRequest =
  { ok: true; actor: Actor; requestId: string; nonce: string; operationName: string; bodyDigest: string } | { ok: false; reason: string };

function sameSignature(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

type HeaderBag = Record<string, string | string[] | undefined>;
const one = (headers: HeaderBag, name: string): string | undefined => {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/**
 * Checks that a subgraph request's headers were signed by the gateway within the allowed age
 * and returns the actor and what the signature binds them to. The caller must still check that
 * the body it reads has the signed digest and operation name, and that the nonce is new
 * (packages/kit/src/subgraph.ts does both). Anything else is refused: subgraphs are never public.
 */
export function verifyActorHeaders(
  headers: HeaderBag,
  opts: { secret: string; previousSecrets?: readonly string[]; now?: number; maxAgeMs?: number },
): VerifiedRequest {
  const actorB64 = one(headers, ACTOR_HEADER);
  const timestamp = one(headers, TIMESTAMP_HEADER);
  const given = one(headers, SIGNATURE_HEADER);
  const nonce = one(headers, NONCE_HEADER);
  const digest = one(headers, BODY_DIGEST_HEADER);
  const requestId = one(headers, REQUEST_ID_HEADER) ?? '';
  const operationName = one(headers, OPERATION_HEADER) ?? '';
  if (!actorB64 || !timestamp || !given || !nonce || !digest) return { ok: false, reason: 'missing gateway signature' };
  const fields: SignedRequestFields = { timestamp, requestId, nonce, operationName, bodyDigest: digest, actorB64 };
  // The previous secret is accepted only while a rotation rolls out (docs/operations.md, "Rotating secrets").
  const secrets = [opts.secret, ...(opts.previousSecrets ?? [])];
  if (!secrets.some((secret) => sameSignature(given, signature(secret, fields)))) return { ok: false, reason: 'bad gateway signature' };
  const age = (opts.now ?? Date.now()) - Number(timestamp);
  if (!Number.isFinite(age) || Math.abs(age) > (opts.maxAgeMs ?? SIGNATURE_MAX_AGE_MS)) {
    return { ok: false, reason: 'expired gateway signature' };
  }
  try {
    const actor = JSON.parse(Buffer.from(actorB64, 'base64url').toString('utf8')) as Actor;
    return { ok: true, actor, requestId, nonce, operationName, bodyDigest: digest };
  } catch {
    return { ok: false, reason: 'malformed actor header' };
  }
}
