import { type EventEmitter } from 'node:events';
import { type ApolloServerPlugin } from '@apollo/server';
import { type RequestHandler } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { type DataSource } from 'typeorm';
import { Kind, type DocumentNode, type GraphQLError } from 'graphql';
import { clientErrorCode } from './format-error';

/**
 * Prometheus metrics shared by every process (docs/operations.md lists them and their alerts).
 * Names follow Prometheus conventions (`medcollab_` prefix, base units, `_total` counters); no
 * label carries an unbounded value: names a client chooses pass through a {@link BoundedLabel}.
 */

/** What a label collapses to once it has seen `limit` distinct values, or for a value it refuses. */
export const OTHER = 'other';

/**
 * An id inside a name: a UUID (with `-`, `_` or nothing between its groups, as a client that
 * builds operation names from ids writes it) or a run of five or more digits (numeric ids, dates).
 */
const ID_INSIDE = /[0-9a-f]{8}[-_]?[0-9a-f]{4}[-_]?[0-9a-f]{4}|\d{5}/i;

/**
 * Keeps a label's cardinality bounded: a value must look like an identifier (≤ 64 characters)
 * without an id inside, and only the first `limit` distinct values are kept; every later or
 * malformed one is `other`.
 */
export class BoundedLabel {
  private readonly seen = new Set<string>();

  constructor(
    private readonly limit: number,
    private readonly pattern = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/,
  ) {}

  of(value: string | null | undefined, absent = 'anonymous'): string {
    if (!value) return absent;
    if (!this.pattern.test(value) || ID_INSIDE.test(value)) return OTHER;
    if (this.seen.has(value)) return value;
    if (this.seen.size >= this.limit) return OTHER;
    this.seen.add(value);
    return value;
  }
}

/**
 * The client's operation name from a subgraph request: the gateway names its fetches
 * `<Operation>__<subgraph>__<n>`, so one client operation is one label whichever fetch it is.
 */
export function clientOperationName(name: string | null | undefined): string | null {
  if (!name) return null;
  return name.replace(/__[a-z0-9_-]+__\d+$/i, '');
}

/** Seconds buckets for request durations (5 ms … 10 s). */
export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

let processRegistry: Registry | undefined;

/** Node's own metrics (CPU, memory, event-loop lag, GC), once per process whatever serves them. */
export function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/** A registry for one server or worker, every series labelled with its service. */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  return registry;
}

/** GET /metrics: the process's metrics followed by each registry's, in Prometheus text format. */
export function metricsHandler(...registries: Registry[]): RequestHandler {
  return async (_req, res) => {
    const all = [processMetrics(), ...registries];
    const texts = await Promise.all(all.map((r) => r.metrics()));
    res.set('content-type', processMetrics().contentType).send(texts.join('\n'));
  };
}

/**
 * Connections of a DataSource's pool: in use, idle, and callers waiting for one. Waiting above
 * zero for long means the pool (or PostgreSQL) is the bottleneck.
 */
export function observeDataSourcePool(registry: Registry, dataSource: DataSource): void {
  const pool = () => (dataSource.driver as unknown as { master?: EventEmitter & PoolCounts }).master;
  new Gauge({
    name: 'medcollab_db_pool_connections',
    help: 'PostgreSQL pool connections by state (in_use, idle)',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const p = pool();
      this.set({ state: 'in_use' }, p ? p.totalCount - p.idleCount : 0);
      this.set({ state: 'idle' }, p?.idleCount ?? 0);
    },
  });
  new Gauge({
    name: 'medcollab_db_pool_waiting_clients',
    help: 'Callers waiting for a PostgreSQL pool connection',
    registers: [registry],
    collect() {
      this.set(pool()?.waitingCount ?? 0);
    },
  });
}

interface PoolCounts {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
}

/**
 * GraphQL operations of a subgraph: a duration histogram by operation name and type (its count
 * is the number of operations) and errors by operation and `extensions.code`.
 */
export function graphqlMetricsPlugin(
  registry: Registry,
  opts: {
    maxOperations?: number;
    /** The code a client receives for an error (default: the subgraphs' formatError rule; the gateway passes its masking's). */
    errorCode?: (error: GraphQLError) => string;
  } = {},
): ApolloServerPlugin {
  const errorCode = opts.errorCode ?? clientErrorCode;
  const operations = new BoundedLabel(opts.maxOperations ?? 200);
  const codes = new BoundedLabel(50, /^[A-Z][A-Z0-9_]{0,39}$/);
  const duration = new Histogram({
    name: 'medcollab_graphql_operation_duration_seconds',
    help: 'GraphQL operations served, by client operation name and type',
    labelNames: ['operation', 'type'],
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });
  const errors = new Counter({
    name: 'medcollab_graphql_operation_errors_total',
    help: 'GraphQL errors returned, by client operation name and extensions.code',
    labelNames: ['operation', 'code'],
    registers: [registry],
  });
  return {
    async requestDidStart({ request }) {
      const started = process.hrtime.bigint();
      let type = 'unknown';
      // The name the request gives, else (once the document is parsed) the operation's own.
      let name: string | null | undefined = request.operationName;
      const operation = () => operations.of(clientOperationName(name));
      return {
        async didResolveOperation({ operation: op, operationName }) {
          type = op?.operation ?? type;
          name ??= operationName;
        },
        async didEncounterErrors({ errors: list, document }) {
          // A document that failed validation never resolves its operation: take the name it declares.
          name ??= declaredOperationName(document);
          for (const error of list) errors.inc({ operation: operation(), code: codes.of(errorCode(error), 'INTERNAL_SERVER_ERROR') });
        },
        async willSendResponse() {
          duration.observe({ operation: operation(), type }, Number(process.hrtime.bigint() - started) / 1e9);
        },
      };
    },
  };
}

function declaredOperationName(document: DocumentNode | undefined): string | undefined {
  const op = document?.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  return op?.kind === Kind.OPERATION_DEFINITION ? op.name?.value : undefined;
}
