import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { type DataSource } from 'typeorm';
import { createWorkerMetrics } from '@medcollab/events';
import { createMetricsRegistry, graphqlMetricsPlugin, observeDataSourcePool, processMetrics } from '@medcollab/kit';
import { K8S_DIR, metricNamesIn, prometheusRuleProblems, renderKustomization, type K8sObject } from '../src';

/* eslint-disable @typescript-eslint/no-explicit-any -- rendered YAML */

/** Every series name the processes expose (histograms with their _bucket/_count/_sum), plus Prometheus's own `up`. */
function exposedSeries(): Set<string> {
  const notQueried = {} as DataSource; // collectors only run on a scrape, which this never does
  const subgraph = createMetricsRegistry('subgraph');
  observeDataSourcePool(subgraph, notQueried);
  graphqlMetricsPlugin(subgraph);
  const worker = createWorkerMetrics({
    service: 'worker',
    dataSource: notQueried,
    producer: true,
    consumerQueue: { name: 'events.worker', redisUrl: 'redis://127.0.0.1:1', prefix: 'unused' },
  });
  const names = new Set(['up', ...declaredInServices()]);
  for (const registry of [subgraph, worker.registry, processMetrics()]) {
    for (const metric of registry.getMetricsAsArray()) {
      const { name, type } = metric as unknown as { name: string; type: string };
      names.add(name);
      if (type === 'histogram') for (const suffix of ['_bucket', '_count', '_sum']) names.add(name + suffix);
    }
  }
  return names;
}

const REPO = path.resolve(K8S_DIR, '..');
const sourcesUnder = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? sourcesUnder(full) : full.endsWith('.ts') ? [full] : [];
  });

/**
 * The series the gateway's, the services' and the kit's code declare (allocation solve time, reminder
 * lateness, rollup lag, subgraph fetches, audit write failures…), read from their sources: this package may not import
 * a service. `new Histogram({ name: 'x' })` or `name: CONSTANT` with `const CONSTANT = 'x'`.
 */
function declaredInServices(): string[] {
  const dirs = [
    path.join(REPO, 'gateway', 'src'),
    path.join(REPO, 'packages', 'kit', 'src'),
    ...readdirSync(path.join(REPO, 'services')).map((s) => path.join(REPO, 'services', s, 'src')),
  ];
  return dirs.flatMap(sourcesUnder).flatMap((file) => {
    const text = readFileSync(file, 'utf8');
    return [...text.matchAll(/new (Histogram|Counter|Gauge)\b[^(]*\(\{\s*name: (?:'(medcollab_\w+)'|([A-Z_]+))/g)].flatMap((m) => {
      const name = m[2] ?? new RegExp(`const ${m[3]} = '(medcollab_\\w+)'`).exec(text)?.[1];
      if (!name) return [];
      return m[1] === 'Histogram' ? [name, ...['_bucket', '_count', '_sum'].map((suffix) => name + suffix)] : [name];
    });
  });
}

const rule = renderKustomization(path.join(K8S_DIR, 'overlays', 'production')).find((o) => o.kind === 'PrometheusRule') as any;
const alerts = (rule?.spec?.groups ?? []).flatMap((g: any) => g.rules);

describe('the Prometheus alert rules (k8s/components/monitoring)', () => {
  it('ship with the production overlay and are well formed', () => {
    expect(alerts.length).toBeGreaterThanOrEqual(8);
    expect(prometheusRuleProblems(rule)).toEqual([]);
  });

  it('read only series the processes expose', () => {
    const known = exposedSeries();
    const unknown = alerts.flatMap((a: any) =>
      metricNamesIn(a.expr)
        .filter((n) => !known.has(n))
        .map((n) => `${a.alert}: ${n}`),
    );
    expect(unknown).toEqual([]);
    expect(metricNamesIn('rate(medcollab_no_such_metric_total[5m]) > 0').filter((n) => !known.has(n))).toEqual([
      'medcollab_no_such_metric_total',
    ]);
  });

  it('cover what docs/operations.md promises: API errors, outbox, lag, parked events, queues, pool', () => {
    const reads = alerts.map((a: any) => a.expr).join('\n');
    for (const series of [
      'medcollab_graphql_operation_errors_total',
      'medcollab_outbox_oldest_unpublished_age_seconds',
      'medcollab_event_consume_lag_seconds_bucket',
      'medcollab_events_parked',
      'medcollab_queue_jobs',
      'medcollab_db_pool_waiting_clients',
      'medcollab_gateway_subgraph_fetch_duration_seconds_count',
      'medcollab_audit_write_failures_total',
      'medcollab_reminder_lateness_seconds_bucket',
      'medcollab_quality_rollup_lag_seconds_bucket',
      'medcollab_allocation_solve_seconds_count',
    ])
      expect(reads).toContain(series);
  });

  it('point each at its section of docs/operations.md', () => {
    const anchors = new Set(
      [...readFileSync(path.join(REPO, 'docs', 'operations.md'), 'utf8').matchAll(/^#+ (.+)$/gm)].map((m) =>
        m[1]!
          .toLowerCase()
          .replace(/[^a-z0-9 -]/g, '')
          .replace(/ /g, '-'),
      ),
    );
    const broken = alerts.filter((a: any) => !anchors.has(String(a.annotations.runbook).replace('docs/operations.md#', '')));
    expect(broken.map((a: any) => `${a.alert}: ${a.annotations.runbook}`)).toEqual([]);
  });

  it('know the series the services declare in their own code', () => {
    const declared = declaredInServices();
    for (const name of [
      'medcollab_allocation_solve_seconds_count',
      'medcollab_reminder_lateness_seconds_bucket',
      'medcollab_quality_rollup_lag_seconds_bucket',
      'medcollab_gateway_subgraph_fetch_duration_seconds_count',
    ])
      expect(declared).toContain(name);
  });

  it('refuses a malformed rule', () => {
    const broken: K8sObject = {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: { name: 'broken' },
      spec: {
        groups: [{ name: 'g', rules: [{ alert: 'NoSeverity', expr: 'up == 0', for: 'five minutes', annotations: { summary: 's' } }] }],
      },
    };
    expect(prometheusRuleProblems(broken)).toEqual([
      'PrometheusRule/broken/g/NoSeverity: for must be a duration like 5m',
      'PrometheusRule/broken/g/NoSeverity: labels.severity must be critical or warning',
      'PrometheusRule/broken/g/NoSeverity: annotations.runbook is required',
    ]);
  });
});
