import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import express, { type RequestHandler } from 'express';
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
 * /metrics on a port of its own (METRICS_PORT), open: the Service does not expose it and only
 * the cluster's Prometheus may reach it (NetworkPolicy `allow-prometheus-scrape`).
 */
export function createMetricsServer(registry: Registry): Server {
  const app = express();
  app.disable('x-powered-by');
  app.get('/metrics', metricsHandler(registry));
  return createServer(app);
}

/**
 * /metrics on the public port (ADR 0025). The operation names and error counts are for the
 * operators, not for whoever reaches the gateway: with a token only a request bearing it is
 * answered (401 otherwise); without one, the series are open outside production (a laptop's
 * `curl :4000/metrics`) and not served in production (undefined: the route falls through to 404).
 */
export function publicMetricsHandler(
  registry: Registry,
  opts: { token: string | undefined; production: boolean },
): RequestHandler | undefined {
  const serve = metricsHandler(registry);
  if (opts.token === undefined) return opts.production ? undefined : serve;
  const expected = digest(opts.token);
  return (req, res, next) => {
    const match = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '');
    // Compared as digests: equal lengths for timingSafeEqual, and no timing hint of the token.
    if (match && timingSafeEqual(digest(match[1]!), expected)) return serve(req, res, next);
    res
      .status(401)
      .set('www-authenticate', 'Bearer realm="metrics"')
      .type('text/plain')
      .send('metrics need the bearer token (METRICS_TOKEN)\n');
  };
}

const digest = (text: string) => createHash('sha256').update(text).digest();
