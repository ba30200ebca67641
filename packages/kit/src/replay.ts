import { LRUCache } from 'lru-cache';
import { type Redis } from 'ioredis';
import { type Logger } from 'pino';
import { SIGNATURE_MAX_AGE_MS } from './actor';

/**
 * Remembers the nonces of signed gateway requests long enough to refuse a second use.
 * A signature is accepted up to SIGNATURE_MAX_AGE_MS either side of its timestamp (clock skew),
 * so a nonce must be remembered for twice that.
 */
export interface ReplayGuard {
  /** True the first time a nonce is seen within the window, false on every later use. */
  firstSeen(nonce: string): Promise<boolean>;
}

export const REPLAY_WINDOW_MS = 2 * SIGNATURE_MAX_AGE_MS;

/**
 * In-process memory of recent nonces. Catches a replay sent to the same process only; on its
 * own it suits a single replica (tests, a developer's machine). Bounded: under a load that
 * evicts entries before their window ends, a replay to this process could pass; with Redis
 * behind it (below) it is only the fast path.
 */
export function memoryReplayGuard(max = 100_000): ReplayGuard {
  const seen = new LRUCache<string, true>({ max, ttl: REPLAY_WINDOW_MS, ttlAutopurge: false });
  return {
    async firstSeen(nonce) {
      if (seen.has(nonce)) return false;
      seen.set(nonce, true);
      return true;
    },
  };
}

/**
 * Nonces shared by every replica of a subgraph through Redis (`SET NX PX`), so a captured
 * request replayed against another replica is refused too. The in-process memory answers
 * first (a replay to the same process costs no round trip) and carries on alone while Redis is
 * unreachable: reads keep working, and only a replay to another replica within the window
 * (same actor, same body) could pass during the outage; that is logged.
 */
export function redisReplayGuard(redis: Redis, opts: { keyPrefix: string; log: Logger; local?: ReplayGuard }): ReplayGuard {
  const local = opts.local ?? memoryReplayGuard();
  return {
    async firstSeen(nonce) {
      if (!(await local.firstSeen(nonce))) return false;
      try {
        return (await redis.set(`${opts.keyPrefix}${nonce}`, '1', 'PX', REPLAY_WINDOW_MS, 'NX')) === 'OK';
      } catch (error) {
        opts.log.warn({ err: error }, 'replay check fell back to this process only: redis unreachable');
        return true;
      }
    },
  };
}
