import { Histogram, type Registry } from 'prom-client';
import { type WorkerTask } from '@medcollab/events';

/** Seconds buckets for the rollup lag: a healthy worker stays well under a second; a backlog shows as minutes. */
const BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600];

/**
 * `medcollab_quality_rollup_lag_seconds`: from an event's commit in its producer (its
 * `occurredAt`) to its rollup being applied here, observed by the handler once the rollup cells,
 * any revision and the alert rules are done (just before the inbox transaction commits). No
 * labels: no ids, no tenants, one series. Registered on the quality worker's /metrics by
 * `rollupMetricsTask`.
 */
const NAME = 'medcollab_quality_rollup_lag_seconds';

export const rollupLag = {
  histogram: new Histogram({
    name: NAME,
    help: "Seconds from an event's commit in its producer to its quality rollup being applied",
    buckets: BUCKETS,
    registers: [],
  }),
  observe(envelope: { occurredAt: string }, now: number = Date.now()): void {
    const committed = Date.parse(envelope.occurredAt);
    if (Number.isFinite(committed)) this.histogram.observe(Math.max(0, (now - committed) / 1000));
  },
};

/** Puts quality's own metrics on the worker's registry (/metrics on its health port). */
export const rollupMetricsTask = (): WorkerTask => ({
  name: 'quality-metrics',
  start: ({ metrics }: { metrics?: Registry }) => {
    if (metrics && !metrics.getSingleMetric(NAME)) metrics.registerMetric(rollupLag.histogram);
    return { stop: async () => undefined };
  },
});
