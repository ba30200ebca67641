import { createHash } from 'node:crypto';
import { type Actor } from '@medcollab/kit';

export interface TokenCacheOptions {
  /** Most tokens remembered; the least recently used is forgotten first. */
  maxEntries: number;
  /** Longest time a verified token is trusted without verifying it again, in milliseconds. */
  ttlMs: number;
  /** The clock, in milliseconds (tests move it). */
  now: () => number;
}

interface Entry {
  actor: Actor;
  /** min(exp, verified at + ttl), in milliseconds. */
  until: number;
}

/**
 * The callers of tokens already verified (ADR 0033), so a client sending the same bearer token on
 * every request does not pay for a signature check, claim validation and parsing each time.
 * Keyed by the SHA-256 of the raw token, so the heap never holds bearer tokens. Only successes
 * are stored; an entry ends at the token's own `exp` at the latest, so the cache never extends a
 * token's life (past `exp`, the token is verified again and jose applies the clock skew as for
 * any token). A Map keeps insertion order: re-inserting on a hit makes the first key the least
 * recently used one.
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly opts: TokenCacheOptions) {}

  get size(): number {
    return this.entries.size;
  }

  /** The caller of a token verified before and still within its entry's life, else undefined. */
  get(token: string): Actor | undefined {
    const key = digest(token);
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (this.opts.now() >= entry.until) return undefined;
    this.entries.set(key, entry);
    return copy(entry.actor);
  }

  /** Remembers a verified token's caller until min(its exp, now + ttl). */
  set(token: string, actor: Actor, expS: number): void {
    const now = this.opts.now();
    const until = Math.min(expS * 1000, now + this.opts.ttlMs);
    if (until <= now || this.opts.maxEntries <= 0) return;
    const key = digest(token);
    this.entries.delete(key);
    this.entries.set(key, { actor: copy(actor), until });
    while (this.entries.size > this.opts.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  /** Forgets every token (the key set changed). */
  clear(): void {
    this.entries.clear();
  }
}

function digest(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** Each request gets its own actor, so a caller that changes it cannot change the cached one. */
function copy(actor: Actor): Actor {
  return { ...actor, roles: [...actor.roles] };
}
