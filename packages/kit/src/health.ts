import { type Express } from 'express';

/** A named dependency check for /readyz; rejects when the dependency is unusable. */
export type ReadinessCheck = () => Promise<unknown>;

const withTimeout = <T>(p: Promise<T>, ms: number): Promise<T> =>
  Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms).unref())]);

export interface HealthOptions {
  /**
   * Name each check and its state in the /readyz answer (default true). A public endpoint
   * (the gateway's) answers with its status only, and logs what failed instead.
   */
  details?: boolean;
  /** Where failing checks are logged when they are not in the answer. */
  log?: { warn(obj: object, msg: string): void };
}

/**
 * /healthz answers while the process runs (liveness); /readyz only while every dependency
 * answers (readiness), naming the ones that do not unless told not to.
 */
export function mountHealth(
  app: Express,
  checks: Record<string, ReadinessCheck>,
  isShuttingDown: () => boolean,
  opts: HealthOptions = {},
): void {
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    if (isShuttingDown()) {
      res.status(503).json({ status: 'shutting-down' });
      return;
    }
    const results = await Promise.all(
      Object.entries(checks).map(async ([name, check]) => {
        try {
          await withTimeout(check(), 2_000);
          return [name, 'ok'] as const;
        } catch (error) {
          return [name, (error as Error).message || 'unavailable'] as const;
        }
      }),
    );
    const failing = results.filter(([, status]) => status !== 'ok');
    const status = failing.length ? 'unready' : 'ready';
    if (opts.details === false) {
      if (failing.length) opts.log?.warn({ checks: Object.fromEntries(failing) }, 'not ready');
      res.status(failing.length ? 503 : 200).json({ status });
      return;
    }
    res.status(failing.length ? 503 : 200).json({ status, checks: Object.fromEntries(results) });
  });
}
