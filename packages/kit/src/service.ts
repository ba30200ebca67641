import { type DataSource } from 'typeorm';
import { type Redis } from 'ioredis';
import { type Express } from 'express';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type DocumentNode, parse } from 'graphql';
import { type Logger } from 'pino';
import { baseConfigShape, loadConfig } from './config';
import { createDataSource, ensureDatabase, initializeDataSource, serviceDatabaseName, withDatabase, type DataSourceOptions } from './db';
import { closeServer, listen } from './http';
import { createLogger } from './logger';
import { createMetricsRegistry, observeDataSourcePool } from './metrics';
import { createRedis } from './redis';
import { redisReplayGuard } from './replay';
import { createSubgraphServer, type RequestContext } from './subgraph';
import { createServiceContext, type ServiceContext } from './service-context';
import { type UniqueRefusals } from './db';
import { describeStartupError } from './startup-error';
import { installShutdown } from './shutdown';
import { z } from 'zod';
import { Counter } from 'prom-client';
import { type AuditedTypes, type AuditSink } from './audit';

/** Everything that makes one subgraph; each service exports one of these from src/server.ts. */
export interface SubgraphModule<C extends RequestContext> {
  name: string;
  defaultPort: number;
  typeDefs: DocumentNode;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  resolvers: any;
  entities: DataSourceOptions['entities'];
  migrations: DataSourceOptions['migrations'];
  /**
   * Messages for the unique indexes a racing writer could still hit after the service's own
   * checks; `ctx.command` turns such a violation into this refusal instead of a 500.
   */
  uniqueRefusals?: UniqueRefusals;
  /**
   * Per-request context on top of the kit's (actor, database, clock, command): loaders are
   * created here so they never outlive a request. Omit it when the kit's context is enough.
   */
  context?: (base: ServiceContext, deps: { dataSource: DataSource; redis: Redis }) => C;
  /**
   * Extra HTTP routes beside /graphql (e.g. calendar feeds). They are NOT behind the gateway
   * signature check: each route authenticates its callers itself.
   */
  routes?: (app: Express, deps: { dataSource: DataSource; redis: Redis; log: Logger }) => void;
  /**
   * Where the audit entries its resolvers record go (ADR 0008): `auditSink(outbox)` from
   * @medcollab/events. Without one, `ctx.audit` collects and drops (services with no student records).
   */
  audit?: AuditSink;
  /** The GraphQL types that are student records: every field of them a caller reads is recorded. */
  audited?: AuditedTypes;
}

/** Overrides for tests and the launcher; anything left out comes from the environment. */
export interface SubgraphRunOptions {
  /** Full URL of this service's own database (skips creating it). */
  databaseUrl?: string;
  redisUrl?: string;
  port?: number;
  secret?: string;
  /** Secrets still accepted during a rotation (default: INTERNAL_SIGNING_SECRET_PREVIOUS). */
  previousSecrets?: readonly string[];
  log?: Logger;
  migrate?: boolean;
  /** The ORM logger (tests count SQL statements with it). */
  ormLogger?: DataSourceOptions['logger'];
  handleSignals?: boolean;
  /** Withhold answers whose audit entries could not be written (default: AUDIT_STRICT). */
  auditStrict?: boolean;
}

export interface RunningSubgraph {
  name: string;
  port: number;
  url: string;
  dataSource: DataSource;
  redis: Redis;
  stop(): Promise<void>;
}

const serviceConfigShape = {
  ...baseConfigShape,
  PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** The launcher and k8s run migrations once before starting processes, and set this to false. */
  MIGRATE_ON_START: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  /**
   * ADR 0008 §3: by default an answer goes out even if its audit entries could not be written
   * (counted and logged); a deployment whose institutions require every read on record sets true.
   */
  AUDIT_STRICT: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
};

/** Starts a subgraph: config, its database (created and migrated), Redis, HTTP, graceful stop. */
export async function runSubgraph<C extends RequestContext>(
  mod: SubgraphModule<C>,
  opts: SubgraphRunOptions = {},
): Promise<RunningSubgraph> {
  const config = loadConfig(serviceConfigShape);
  const log = opts.log ?? createLogger(mod.name, config.LOG_LEVEL);

  let databaseUrl = opts.databaseUrl;
  if (!databaseUrl) {
    const database = serviceDatabaseName(mod.name);
    await ensureDatabase(config.DATABASE_URL, database);
    databaseUrl = withDatabase(config.DATABASE_URL, database);
  }
  const dataSource = createDataSource({
    url: databaseUrl,
    entities: mod.entities,
    migrations: mod.migrations,
    logger: opts.ormLogger,
    applicationName: mod.name,
  });
  await initializeDataSource(dataSource, { migrate: opts.migrate ?? config.MIGRATE_ON_START });
  const redis = createRedis(opts.redisUrl ?? config.REDIS_URL);
  await redis.connect().catch((error: Error) => log.warn({ err: error }, 'redis not reachable yet'));

  const metrics = createMetricsRegistry(mod.name);
  observeDataSourcePool(metrics, dataSource);
  const auditFailures = new Counter({
    name: 'medcollab_audit_write_failures_total',
    help: 'Audit batches that could not be written (the batch is in the error log; the answer went out unless AUDIT_STRICT withheld it)',
    registers: [metrics],
  });
  const server = await createSubgraphServer({
    name: mod.name,
    typeDefs: mod.typeDefs,
    resolvers: mod.resolvers,
    secret: opts.secret ?? config.INTERNAL_SIGNING_SECRET,
    previousSecrets: opts.previousSecrets ?? (config.INTERNAL_SIGNING_SECRET_PREVIOUS ? [config.INTERNAL_SIGNING_SECRET_PREVIOUS] : []),
    log,
    introspection: config.NODE_ENV !== 'production',
    readiness: {
      postgres: () => dataSource.query('SELECT 1'),
      redis: () => redis.ping(),
    },
    context: (base) => {
      const service = createServiceContext(base, {
        dataSource,
        redis,
        uniqueRefusals: mod.uniqueRefusals,
        audit: mod.audit,
        onAuditFailure: () => auditFailures.inc(),
        auditStrict: opts.auditStrict ?? config.AUDIT_STRICT,
      });
      return mod.context ? mod.context(service, { dataSource, redis }) : (service as unknown as C);
    },
    metrics,
    audited: mod.audited,
    replayGuard: redisReplayGuard(redis, { keyPrefix: `replay:${mod.name}:`, log }),
  });
  mod.routes?.(server.app, { dataSource, redis, log });
  const port = await listen(server.httpServer, opts.port ?? config.PORT ?? mod.defaultPort);
  log.info({ port }, `${mod.name} subgraph listening`);

  const steps = [
    { name: 'readiness', run: async () => server.beginShutdown() },
    { name: 'apollo', run: () => server.apollo.stop() },
    { name: 'http', run: () => closeServer(server.httpServer).catch(() => undefined) },
    { name: 'postgres', run: () => dataSource.destroy() },
    { name: 'redis', run: () => redis.quit().catch(() => redis.disconnect()) },
  ];
  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      for (const step of steps) await step.run();
    })());
  if (opts.handleSignals) installShutdown(log, [{ name: 'subgraph', run: stop }], config.SHUTDOWN_TIMEOUT_MS);

  return { name: mod.name, port, url: `http://127.0.0.1:${port}/graphql`, dataSource, redis, stop };
}

/**
 * The whole of a service's `src/index.ts`: runs the subgraph with signal handling, or prints one
 * line that says why it cannot start and exits 1.
 */
export function runSubgraphProcess<C extends RequestContext>(mod: SubgraphModule<C>): void {
  runSubgraph(mod, { handleSignals: true }).catch((error: unknown) => {
    createLogger(mod.name).fatal({ err: error }, describeStartupError(`${mod.name} subgraph`, error));
    process.exit(1);
  });
}

/** A service's SDL, read from the `schema.graphql` beside its `src/` (pass `__dirname` of src/server.ts). */
export function readSchema(srcDir: string): DocumentNode {
  return parse(readFileSync(join(srcDir, '..', 'schema.graphql'), 'utf8'));
}
