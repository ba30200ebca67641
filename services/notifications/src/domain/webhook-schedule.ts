/**
 * When a failed webhook delivery is tried again (after attempt n, 1-based), as the Standard
 * Webhooks retry guidance suggests: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, about 27.6 hours
 * in all, so a receiver down for a day still gets everything. `scale` shrinks it in tests.
 */
export const RETRY_SCHEDULE_MS = [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000];

export const MAX_ATTEMPTS = RETRY_SCHEDULE_MS.length + 1;

/** The delay before the next attempt, or null when the delivery has had its last attempt. */
export function nextRetryDelay(attempts: number, scale = 1): number | null {
  const delay = RETRY_SCHEDULE_MS[attempts - 1];
  return delay === undefined ? null : Math.max(1, Math.round(delay * scale));
}

/** Deliveries that failed for good in a row before a subscription is disabled. */
export const DISABLE_AFTER_FAILED_DELIVERIES = 5;
