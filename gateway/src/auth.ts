import { GraphQLError } from 'graphql';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey, type KeyLike } from 'jose';
import { z } from 'zod';
import { ROLES, type Actor } from '@medcollab/kit';
import { VerifiedTokenCache } from './token-cache';

export interface AuthOptions {
  /** HS256 key; used only when no JWKS URL is given. */
  jwtSecret: string;
  /** RS256 key set of the identity provider. */
  jwksUrl?: string;
  issuer?: string;
  audience?: string;
  /** Longest lifetime (exp − iat) accepted, in seconds. */
  maxLifetimeS: number;
  /** Clock difference tolerated for iat, nbf and exp, in seconds. */
  clockSkewS: number;
  /** Verified tokens remembered (ADR 0033); 0 verifies every request. Default 10,000. */
  cacheMaxEntries?: number;
  /** Longest time a verified token is trusted without verifying it again, in ms. Default 60 s. */
  cacheTtlMs?: number;
  /** The clock in milliseconds, for jose and the cache (tests move it). */
  now?: () => number;
  /** jose's jwtVerify, replaceable so a test can count verifications. */
  verifyJwt?: typeof jwtVerify;
}

/** Turns an `Authorization` header into the verified caller, or throws UNAUTHENTICATED. */
export type Authenticate = (authorization: string | undefined) => Promise<Actor>;

/** The claims MedCollab puts in (or expects from an identity provider in) every token. */
const claimsSchema = z.object({
  sub: z.string().min(1),
  institutionId: z.string().min(1).nullish(),
  roles: z.array(z.enum(ROLES)).min(1),
});

/** A compact JWS: three base64url parts. Anything else is refused before any crypto runs. */
const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/i;

/** Why a token was refused; `expired` is told to the client, the rest stays in the logs. */
export class AuthenticationError extends GraphQLError {
  constructor(
    message: string,
    readonly reason: string,
  ) {
    super(message, {
      extensions: { code: 'UNAUTHENTICATED', http: { status: 401, headers: new Map([['www-authenticate', 'Bearer']]) } },
    });
  }
}

/** JOSE errors that mean "this token is not acceptable" (as opposed to "the key set is unreachable"). */
const CLIENT_TOKEN_ERRORS = [
  joseErrors.JWTExpired,
  joseErrors.JWTClaimValidationFailed,
  joseErrors.JWTInvalid,
  joseErrors.JWSInvalid,
  joseErrors.JWSSignatureVerificationFailed,
  joseErrors.JOSEAlgNotAllowed,
  joseErrors.JOSENotSupported,
  joseErrors.JWKSNoMatchingKey,
  joseErrors.JWKSMultipleMatchingKeys,
];

export function createAuthenticator(opts: AuthOptions): Authenticate {
  // One algorithm per key source, so an HS256 token can never be checked against an RSA public key.
  const key: Uint8Array | KeyLike | JWTVerifyGetKey = opts.jwksUrl
    ? createRemoteJWKSet(new URL(opts.jwksUrl), { timeoutDuration: 3_000, cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000 })
    : new TextEncoder().encode(opts.jwtSecret);
  const algorithms = opts.jwksUrl ? ['RS256'] : ['HS256'];
  const now = opts.now ?? Date.now;
  const verifyJwt = opts.verifyJwt ?? jwtVerify;
  const cache = new VerifiedTokenCache({ maxEntries: opts.cacheMaxEntries ?? 10_000, ttlMs: opts.cacheTtlMs ?? 60_000, now });
  // maxTokenAge makes jose require iat and refuse one in the future (beyond the skew) or older than the cap.
  const verifyOptions = {
    algorithms,
    issuer: opts.issuer,
    audience: opts.audience,
    requiredClaims: ['sub', 'exp', 'iat'],
    clockTolerance: opts.clockSkewS,
    maxTokenAge: opts.maxLifetimeS,
  };

  return async (authorization) => {
    if (!authorization) throw new AuthenticationError('Authentication required', 'no token');
    const match = BEARER.exec(authorization.trim());
    if (!match?.[1]) throw new AuthenticationError('Invalid token', 'malformed authorization header');

    const token = match[1];
    const cached = cache.get(token);
    if (cached) return cached;

    let payload: JWTPayload;
    try {
      const options = opts.now ? { ...verifyOptions, currentDate: new Date(now()) } : verifyOptions;
      // jwtVerify is overloaded per key kind; the union is resolved at run time.
      ({ payload } = typeof key === 'function' ? await verifyJwt(token, key, options) : await verifyJwt(token, key, options));
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw new AuthenticationError('Token expired', error.code);
      if (CLIENT_TOKEN_ERRORS.some((type) => error instanceof type)) {
        throw new AuthenticationError('Invalid token', (error as joseErrors.JOSEError).code);
      }
      throw error; // the key set could not be fetched: a server fault, masked and logged
    }

    // A token valid for a century is refused at once, not only once it is old.
    if (payload.exp! - payload.iat! > opts.maxLifetimeS + opts.clockSkewS) {
      throw new AuthenticationError('Invalid token', 'token lifetime longer than JWT_MAX_LIFETIME_S');
    }
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) throw new AuthenticationError('Invalid token', 'claims do not describe a MedCollab actor');
    const actor: Actor = { personId: claims.data.sub, institutionId: claims.data.institutionId ?? null, roles: claims.data.roles };
    cache.set(token, actor, payload.exp!);
    return actor;
  };
}
