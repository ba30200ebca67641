import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type Express } from 'express';
import { type Registry } from 'prom-client';
import { closeServer, createLogger, listen, mountHealth, type Actor, type Logger } from '@medcollab/kit';
import { withoutApolloTelemetry } from './apollo-telemetry';
import { createAuthenticator } from './auth';
import { loadGatewayConfig, subgraphEnvKey, type GatewayConfig } from './config';
import { type GatewayContext } from './context';
import { SignedDataSource } from './data-source';
import { maskError } from './format-error';
import { graphqlHttpHandler, takesPlainPath } from './graphql-http';
import { createGatewayMetrics, createMetricsServer, publicMetricsHandler } from './metrics';
import { operationLimits } from './limits';
import { operationFastPath, type OperationFastPath } from './operation-fast-path';
import { subgraphReadiness } from './readiness';
import { requestId } from './request-id';
import { requestInputPlugin } from './request-input';
import { stringifyResult } from './raw-answer';
import { requestLogPlugin } from './request-log';
import { singleFetchPath, type SingleFetchPath } from './single-fetch';
import { errorHandler, responseDeadline } from './timeout';
import { loadTrustedOperations, trustedOperationsPlugin } from './trusted-operations';

export interface CreateGatewayOptions {
  /** The composed supergraph; default: the file at config.SUPERGRAPH_PATH. Never introspected. */
  supergraphSdl?: string;
  /** URL per subgraph name, over the supergraph's and SUBGRAPH_<NAME>_URL (the harness's port-0 servers). */
  subgraphUrls?: Record<string, string>;
  /** Settings over the environment's (tests: small limits, another secret, NODE_ENV=production). */
  config?: Partial<GatewayConfig>;
  env?: NodeJS.ProcessEnv;
  log?: Logger;
}

export interface Gateway {
  app: Express;
  httpServer: Server;
  apollo: ApolloServer<GatewayContext>;
  config: GatewayConfig;
  /** The URL each subgraph is called at, after overrides. */
  subgraphUrls: Record<string, string>;
  /** Prometheus registry of this gateway (served on METRICS_PORT, and on PORT as METRICS_TOKEN and NODE_ENV allow). */
  metrics: Registry;
  /** Resolves with the port bound (0 picks a free one); /metrics goes on METRICS_PORT (a free one too when port is 0). */
  listen(port?: number, host?: string): Promise<number>;
  /** The single-fetch path (ADR 0039), unless SINGLE_FETCH_PATH is false: which operations it served. */
  singleFetch?: SingleFetchPath;
  /** The operation fast path (ADR 0062), unless OPERATION_FAST_PATH, SINGLE_FETCH_PATH or PLAIN_HTTP_PATH is false. */
  fastPath?: OperationFastPath;
  /** The port /metrics was bound to, once listening (undefined when METRICS_PORT is off). */
  metricsPort(): number | undefined;
  /** Readiness off, in-flight operations drained, server closed. Idempotent. */
  stop(): Promise<void>;
}

/** The largest request body accepted (HTTP 413 above it). */
const BODY_LIMIT_BYTES = 1024 * 1024;

/** Time the backstop leaves the per-fetch deadline to answer first (with partial data). */
const BACKSTOP_GRACE_MS = 1_000;

/** Builds the gateway: static supergraph, JWT auth, signed forwarding, limits, masking, health. */
export async function createGateway(opts: CreateGatewayOptions = {}): Promise<Gateway> {
  const config = loadGatewayConfig(opts.env ?? process.env, opts.config);
  const log = opts.log ?? createLogger('gateway', config.LOG_LEVEL);
  const production = config.NODE_ENV === 'production';
  const supergraphSdl = opts.supergraphSdl ?? readFileSync(config.SUPERGRAPH_PATH, 'utf8');

  const subgraphUrls: Record<string, string> = {};
  const metrics = createGatewayMetrics();
  // Set once Apollo Server has started (it needs the authenticator); learns from the single-fetch path.
  let fastPath: OperationFastPath | undefined;
  const singleFetch = config.SINGLE_FETCH_PATH
    ? singleFetchPath({
        supergraphSdl,
        rawData: config.SINGLE_FETCH_RAW_DATA,
        onServed: (requestContext, route) => fastPath?.learn(requestContext, route),
      })
    : undefined;
  // No report to Apollo and no probe of cloud metadata services (./apollo-telemetry).
  const gateway = withoutApolloTelemetry(
    () =>
      new ApolloGateway({
        supergraphSdl,
        logger: log,
        ...(singleFetch ? { experimental_didResolveQueryPlan: singleFetch.didResolveQueryPlan } : {}),
        buildService: ({ name, url }) => {
          const target = opts.subgraphUrls?.[name] ?? config.SUBGRAPH_URLS[subgraphEnvKey(name)] ?? url;
          if (!target) throw new Error(`subgraph ${name} has no URL: set SUBGRAPH_${subgraphEnvKey(name)}_URL`);
          subgraphUrls[name] = target;
          return new SignedDataSource({
            name,
            url: target,
            secret: config.INTERNAL_SIGNING_SECRET,
            timeoutMs: config.REQUEST_TIMEOUT_MS,
            log,
            observeFetch: metrics.observeFetch,
          });
        },
      }),
  );
  // Before Apollo Server starts: load() hands it the executor.
  if (singleFetch) gateway.executor = singleFetch.wrap(gateway.executor);

  const app = express();
  app.disable('x-powered-by');
  // POST /graphql with a JSON body skips express (ADR 0051); set below, once Apollo has started.
  let plainGraphql: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  const httpServer = createServer((req, res) => (plainGraphql && takesPlainPath(req) ? plainGraphql(req, res) : app(req, res)));
  // Bounds how long a client may take to send its request (slowloris), separate from execution time.
  httpServer.headersTimeout = Math.min(config.REQUEST_TIMEOUT_MS, 10_000);
  httpServer.requestTimeout = config.REQUEST_TIMEOUT_MS;

  const limits = operationLimits(config);
  const trusted = loadTrustedOperations(config.TRUSTED_OPERATIONS_PATH);
  const requestLog = requestLogPlugin();
  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    logger: log,
    validationRules: limits.validationRules,
    parseOptions: limits.parseOptions,
    allowBatchedHttpRequests: false,
    includeStacktraceInErrorResponses: false,
    introspection: !production,
    csrfPrevention: true,
    // Shutdown is ours (kit installShutdown in index.ts); Apollo's own handler re-raises the signal.
    stopOnTerminationSignals: false,
    formatError: maskError,
    // Apollo's own serialization, except that a subgraph's answer kept as bytes is sent as it came (ADR 0059).
    stringifyResult,
    plugins: [
      metrics.plugin,
      ...limits.plugins,
      requestInputPlugin(),
      ...(trusted ? [trustedOperationsPlugin(trusted)] : []),
      requestLog,
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ...(production ? [ApolloServerPluginLandingPageDisabled()] : []),
    ],
  });
  await apollo.start();
  warnAboutUnusedOverrides(config, subgraphUrls, log);

  let shuttingDown = false;
  // /readyz is reachable from outside: the subgraphs' names and states only when asked for.
  mountHealth(app, subgraphReadiness(subgraphUrls), () => shuttingDown, { details: config.READINESS_DETAILS, log });
  const publicMetrics = publicMetricsHandler(metrics.registry, { token: config.METRICS_TOKEN, production });
  if (publicMetrics) app.get('/metrics', publicMetrics);

  const authenticate = createAuthenticator({
    jwtSecret: config.JWT_SECRET,
    jwksUrl: config.JWKS_URL,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    maxLifetimeS: config.JWT_MAX_LIFETIME_S,
    clockSkewS: config.JWT_CLOCK_SKEW_S,
  });
  const contextOf = (actor: Actor, id: string, startedAt: number, reqLog = log.child({ requestId: id })): GatewayContext => ({
    actor,
    requestId: id,
    deadline: startedAt + config.REQUEST_TIMEOUT_MS,
    log: reqLog,
  });
  const contextFor = async (req: IncomingMessage, id: string, startedAt: number): Promise<GatewayContext> => {
    const reqLog = log.child({ requestId: id });
    try {
      const actor = await authenticate(req.headers.authorization);
      return contextOf(actor, id, startedAt, reqLog);
    } catch (error) {
      const reason = (error as { reason?: string }).reason;
      if (reason) reqLog.info({ reason }, 'request refused: not authenticated');
      else reqLog.error({ err: error }, 'authentication failed unexpectedly');
      throw error;
    }
  };
  const backstopMs = config.REQUEST_TIMEOUT_MS + BACKSTOP_GRACE_MS;
  if (config.PLAIN_HTTP_PATH) {
    if (singleFetch && config.OPERATION_FAST_PATH) {
      fastPath = operationFastPath({
        singleFetch,
        authenticate,
        context: contextOf,
        trusted,
        maxCost: config.MAX_COST,
        acceptRawData: config.SINGLE_FETCH_RAW_DATA,
        observers: [metrics.plugin, requestLog],
      });
    }
    const fast = fastPath;
    plainGraphql = graphqlHttpHandler({
      apollo,
      // A request the fast path handed back after fetching keeps the context its fetch was made with.
      context: (req, id, startedAt) => {
        const handedBack = fast?.contextOf(req);
        return handedBack ? Promise.resolve(handedBack) : contextFor(req, id, startedAt);
      },
      ...(fast ? { fastPath: fast.serve } : {}),
      bodyLimitBytes: BODY_LIMIT_BYTES,
      deadlineMs: backstopMs,
      timeoutMs: config.REQUEST_TIMEOUT_MS,
      log,
    });
  }
  // Everything else under /graphql (GET, other content types and encodings) keeps express's path.
  app.use(
    '/graphql',
    requestId(),
    responseDeadline(backstopMs, config.REQUEST_TIMEOUT_MS),
    express.json({ limit: BODY_LIMIT_BYTES }),
    expressMiddleware(apollo, {
      context: ({ req, res }) => contextFor(req, res.locals.requestId as string, res.locals.startedAt as number),
    }),
  );
  app.use(errorHandler(log));

  const metricsServer = config.METRICS_PORT === false ? undefined : createMetricsServer(metrics.registry);
  let metricsPort: number | undefined;

  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      shuttingDown = true;
      await apollo.stop(); // drains in-flight operations, then closes the HTTP server
      if (httpServer.listening) await closeServer(httpServer).catch(() => undefined);
      if (metricsServer?.listening) await closeServer(metricsServer).catch(() => undefined);
    })());

  return {
    app,
    httpServer,
    apollo,
    config,
    subgraphUrls,
    metrics: metrics.registry,
    singleFetch,
    fastPath,
    listen: async (port = config.PORT, host?: string) => {
      const bound = await listen(httpServer, port, host);
      if (metricsServer && config.METRICS_PORT !== false) {
        const wanted = port === 0 ? 0 : config.METRICS_PORT;
        metricsPort = await listen(metricsServer, wanted, host).catch((error: NodeJS.ErrnoException) => {
          // Name the metrics port: the caller's message would otherwise blame the public one.
          throw Object.assign(new Error(`metrics port ${wanted} is in use (METRICS_PORT)`), { code: error.code, port: wanted });
        });
      }
      return bound;
    },
    metricsPort: () => metricsPort,
    stop,
  };
}

/** A SUBGRAPH_<NAME>_URL that matches no subgraph is almost always a typo worth a warning. */
function warnAboutUnusedOverrides(config: GatewayConfig, used: Record<string, string>, log: Logger): void {
  const known = new Set(Object.keys(used).map(subgraphEnvKey));
  for (const key of Object.keys(config.SUBGRAPH_URLS)) {
    if (!known.has(key)) log.warn({ variable: `SUBGRAPH_${key}_URL` }, 'subgraph URL override matches no subgraph in the supergraph');
  }
}
