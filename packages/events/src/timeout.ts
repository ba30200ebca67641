export class TimeoutError extends Error {
  override name = 'TimeoutError';
}

/**
 * Rejects when `promise` takes longer than `ms`. BullMQ commands wait for Redis to come back
 * (`maxRetriesPerRequest: null`); the relay must not hold its row locks that long.
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
