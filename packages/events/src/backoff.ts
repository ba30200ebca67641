/** Exponential backoff with jitter: how long to wait before trying again. Pure; unit tested. */
export interface BackoffPolicy {
  /** Delay after the first failure, before jitter. */
  baseMs: number;
  /** Upper bound of the (pre-jitter) delay. */
  maxMs: number;
  /** Growth per failure; 2 doubles the delay each time. */
  factor?: number;
  /**
   * Share of the delay that is random, 0..1. 0.5 ("equal jitter") keeps at least half the
   * delay, so retries never come back at once, while spreading a herd of retriers apart.
   */
  jitter?: number;
}

/** Delay before the next try after `failures` failures (1 = the first one failed). */
export function backoffDelay(failures: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const factor = policy.factor ?? 2;
  const jitter = Math.min(1, Math.max(0, policy.jitter ?? 0.5));
  const n = Math.max(1, Math.floor(failures));
  // factor ** n overflows to Infinity for large n; min() then caps it at maxMs.
  const ceiling = Math.min(policy.maxMs, policy.baseMs * factor ** (n - 1));
  return Math.round(ceiling * (1 - jitter) + ceiling * jitter * random());
}

/** How long an event whose predecessor has not been applied yet waits before it is looked at again. */
export interface DeferPolicy {
  minMs: number;
  maxMs: number;
}

/**
 * The wait doubles with each deferral of the same job (`deferrals` = 0 the first time), between
 * half and all of min(maxMs, minMs * 2^deferrals): a predecessor that is a moment late costs a
 * few quick polls, one that is parked costs one poll per maxMs. A consumer that applies the
 * predecessor also promotes a successor it deferred (see consumer.ts), so most waits end early.
 */
export function deferDelay(deferrals: number, policy: DeferPolicy, random: () => number = Math.random): number {
  const n = Math.max(0, Math.floor(deferrals));
  const target = Math.min(policy.maxMs, policy.minMs * 2 ** Math.min(n, 30));
  return Math.round(target * (0.5 + 0.5 * random()));
}
