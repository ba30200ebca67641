import { Registry } from 'prom-client';
import { rollupLag, rollupMetricsTask } from '../src/metrics';
import { startQuality, type QualityHarness } from './support/harness';
import { scenario } from './support/scenario';

/** `medcollab_quality_rollup_lag_seconds` on the quality worker's registry: one observation per rolled-up event, no labels. */
let h: QualityHarness;
beforeAll(async () => {
  h = await startQuality();
});
afterAll(() => h.stop());

describe('rollup lag metric', () => {
  it('observes the time from the event commit to its rollup, on the worker registry, without labels', async () => {
    const registry = new Registry();
    const task = await rollupMetricsTask().start({ metrics: registry } as never);
    const before = (await rollupLag.histogram.get()).values.find((v) => v.metricName?.endsWith('_count'))?.value ?? 0;
    const { events } = scenario();
    // Committed a minute ago.
    const old = new Date(Date.now() - 60_000).toISOString();
    const rolled = events.filter((e) => e.type !== 'AgreementActivated').map((e) => ({ ...e, occurredAt: old }));
    await h.deliver(events.filter((e) => e.type === 'AgreementActivated'));
    await h.deliver(rolled);
    const text = await registry.metrics();
    expect(text).toContain('# TYPE medcollab_quality_rollup_lag_seconds histogram');
    const count = Number(/^medcollab_quality_rollup_lag_seconds_count (\d+)$/m.exec(text)?.[1]);
    expect(count - before).toBe(rolled.length);
    // All of them took at least the minute since their commit: none in the buckets below 60 s beyond what was there.
    const under30 = Number(/^medcollab_quality_rollup_lag_seconds_bucket\{le="30"\} (\d+)$/m.exec(text)?.[1]);
    const over = count - under30;
    expect(over).toBeGreaterThanOrEqual(rolled.length);
    // No ids (or any label but the bucket) in the series.
    expect(text.split('\n').filter((l) => l.startsWith('medcollab_quality_rollup_lag_seconds') && /\{(?!le=)/.test(l))).toEqual([]);
    await task.stop();
  });
});
