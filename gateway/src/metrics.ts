import { createServer, type Server } from 'node:http';
import express from 'express';
import { Histogram, type Registry } from 'prom-client';
import { isPublicError } from './format-error';
import { BoundedLabel, createMetricsRegistry, DURATION_BUCKETS, graphqlMetricsPlugin, metricsHandler } from '@medcollab/kit';

/** How a subgraph fetch ended, for the fetch histogram. */
export type FetchOutcome = 'ok' | 'http_error' | 'timeout' | 'error';

export interface GatewayMetrics {
  registry: Registry;
  /** GraphQL operations by client operation name (bounded), durations and errors by code (the kit's). */
  plugin: ReturnType<typeof graphqlMetricsPlugin>;
  /** One subgraph fetch, from the request to its parsed answer. */
  observeFetch(subgraph: string, outcome: FetchOutcome, seconds: number): void;
}

/**
 * The gateway's Prometheus series, labelled `service="gateway"`:
 * - `medcollab_graphql_operation_duration_seconds{operation,type}` (its `_count` is operations
 *   by name) and `medcollab_graphql_operation_errors_total{operation,code}`, from the kit's
 *   plugin: a name is a label only if it looks like an identifier and is among the first
 *   `maxOperations` seen; any other is `other`, an unnamed operation `anonymous`;
 * - `medcollab_gateway_subgraph_fetch_duration_seconds{subgraph,outcome}`.
 */
export function createGatewayMetrics(opts: { maxOperations?: number } = {}): GatewayMetrics {
  const registry = createMetricsRegistry('gateway');
  const subgraphs = new BoundedLabel(50, /^[a-z][a-z0-9_-]{0,39}$/);
  const fetches = new Histogram({
    name: 'medcollab_gateway_subgraph_fetch_duration_seconds',
    help: 'Subgraph fetches made by the gateway, by subgraph and outcome (ok, http_error, timeout, error)',
    labelNames: ['subgraph', 'outcome'],
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  return {
    registry,
    plugin: graphqlMetricsPlugin(registry, {
      maxOperations: opts.maxOperations ?? 100,
      // Counted under the code the client receives after masking.
      errorCode: (error) => {
        const formatted = { message: error.message, path: error.path, extensions: error.extensions };
        return isPublicError(formatted, error) ? String(error.extensions.code) : 'INTERNAL_SERVER_ERROR';
      },
    }),
    observeFetch: (subgraph, outcome, seconds) => fetches.observe({ subgraph: subgraphs.of(subgraph), outcome }, seconds),
  };
}

/**
 * /metrics on a port of its own (METRICS_PORT), never on the public one: the operation names
 * and error counts are for the cluster's Prometheus, not for whoever reaches the gateway.
 */
export function createMetricsServer(registry: Registry): Server {
  const app = express();
  app.disable('x-powered-by');
  app.get('/metrics', metricsHandler(registry));
  return createServer(app);
}
