import { createServer, type Server } from 'node:http';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { buildSubgraphSchema } from '@apollo/subgraph';
import express, { type Express, type RequestHandler, type Response } from 'express';
import { type DocumentNode, Kind } from 'graphql';
import { scalarResolvers } from './scalars';
import { auditFieldReads, type AuditedTypes } from './audit';
import { type Logger } from 'pino';
import { type Actor, bodyDigest, verifyActorHeaders } from './actor';
import { createFormatError } from './format-error';
import { mountHealth, type ReadinessCheck } from './health';
import { clientOperationName, graphqlMetricsPlugin, metricsHandler } from './metrics';
import { type Registry } from 'prom-client';
import { memoryReplayGuard, type ReplayGuard } from './replay';

/** What every resolver receives; services extend it with their loaders and data access. */
export interface RequestContext {
  actor: Actor;
  requestId: string;
  log: Logger;
  /** The client's operation name as the gateway signed it (empty when it has none). */
  operation?: string;
}

export interface SubgraphServerOptions<C extends RequestContext> {
  name: string;
  typeDefs: DocumentNode;
  // Resolver maps are typed per service; @apollo/subgraph's own type is too loose to help here.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  resolvers: any;
  secret: string;
  /** Secrets still accepted while a rotation rolls out (INTERNAL_SIGNING_SECRET_PREVIOUS); never used to sign. */
  previousSecrets?: readonly string[];
  log: Logger;
  readiness: Record<string, ReadinessCheck>;
  /** Builds a request's context (fresh DataLoaders each time). */
  context: (base: RequestContext) => C | Promise<C>;
  introspection?: boolean;
  /** Serves /metrics from this registry, with GraphQL operation metrics added to it. */
  metrics?: Registry;
  /** Student-record types whose reads are recorded field by field (ADR 0008). */
  audited?: AuditedTypes;
  /** Where signed nonces are remembered; default this process only (runSubgraph passes Redis). */
  replayGuard?: ReplayGuard;
}

export interface SubgraphServer {
  app: Express;
  httpServer: Server;
  apollo: ApolloServer<RequestContext>;
  /** Marks the process as draining so /readyz turns away new traffic. */
  beginShutdown(): void;
}

/** Adds the kit's Date and DateTime resolvers for the scalars the SDL declares. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function withScalars(typeDefs: DocumentNode, resolvers: any): any {
  const declared = new Set(typeDefs.definitions.filter((d) => d.kind === Kind.SCALAR_TYPE_DEFINITION).map((d) => d.name.value));
  const scalars = Object.fromEntries(Object.entries(scalarResolvers).filter(([name]) => declared.has(name)));
  return { ...scalars, ...resolvers };
}

/**
 * Writes the request's audit batch (ADR 0008) once the response is ready and before it is sent:
 * an answer that reached its caller has its entries committed to the outbox. In strict mode
 * (AUDIT_STRICT) an answer whose entries could not be written never leaves: its data is replaced
 * by one AUDIT_UNAVAILABLE error.
 */
function auditFlushPlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          const audit = (contextValue as { audit?: { flush(): Promise<'sent' | 'withhold'> } }).audit;
          if ((await audit?.flush()) !== 'withhold' || response.body.kind !== 'single') return;
          response.body.singleResult = {
            data: null,
            errors: [
              {
                message: 'The audit trail could not record what this answer shows, so it is withheld; try again shortly',
                extensions: { code: AUDIT_UNAVAILABLE },
              },
            ],
          };
        },
      };
    },
  };
}

/** The error code of an answer withheld because its audit entries could not be written. */
export const AUDIT_UNAVAILABLE = 'AUDIT_UNAVAILABLE';

const refuse = (res: Response) =>
  void res.status(401).json({ errors: [{ message: 'Requests must come through the gateway', extensions: { code: 'UNAUTHENTICATED' } }] });

/**
 * Refuses (HTTP 401) every GraphQL request that the gateway did not sign, `_entities` included,
 * and every second use of a signed nonce. Runs before the body is read, so a forgery costs no parsing.
 */
function requireGatewaySignature(
  secrets: { secret: string; previousSecrets?: readonly string[] },
  guard: ReplayGuard,
  log: Logger,
): RequestHandler {
  return async (req, res, next) => {
    const verified = verifyActorHeaders(req.headers, secrets);
    if (!verified.ok) {
      log.warn({ reason: verified.reason, ip: req.ip }, 'unsigned subgraph request refused');
      return refuse(res);
    }
    if (!(await guard.firstSeen(verified.nonce))) {
      log.warn({ reason: 'replayed gateway request', requestId: verified.requestId, ip: req.ip }, 'unsigned subgraph request refused');
      return refuse(res);
    }
    res.locals.actor = verified.actor;
    res.locals.requestId = verified.requestId;
    res.locals.signed = verified;
    next();
  };
}

/** The body read must be the body signed: same bytes (digest), same operation name. */
function requireSignedBody(log: Logger): RequestHandler {
  return (req, res, next) => {
    const signed = res.locals.signed as { bodyDigest: string; operationName: string; requestId: string };
    const digest = (res.locals.bodyDigest as string | undefined) ?? bodyDigest('');
    const body = req.body as { operationName?: unknown } | undefined;
    const operationName = typeof body?.operationName === 'string' ? body.operationName : '';
    if (digest !== signed.bodyDigest || operationName !== signed.operationName) {
      log.warn(
        { reason: 'body does not match the gateway signature', requestId: signed.requestId, ip: req.ip },
        'unsigned subgraph request refused',
      );
      return refuse(res);
    }
    next();
  };
}

/** The HTTP face shared by every subgraph: health, readiness, signed /graphql. */
export async function createSubgraphServer<C extends RequestContext>(opts: SubgraphServerOptions<C>): Promise<SubgraphServer> {
  const app = express();
  app.disable('x-powered-by');
  // Express hashes every answer (SHA-1 of the whole body) for an ETag; the gateway's POSTs never
  // revalidate, so it was CPU spent on each request for a header nobody reads.
  app.disable('etag');
  const httpServer = createServer(app);
  let shuttingDown = false;
  mountHealth(app, opts.readiness, () => shuttingDown);
  if (opts.metrics) app.get('/metrics', metricsHandler(opts.metrics));

  const apollo = new ApolloServer<RequestContext>({
    schema: auditFieldReads(
      buildSubgraphSchema({ typeDefs: opts.typeDefs, resolvers: withScalars(opts.typeDefs, opts.resolvers) }),
      opts.audited ?? {},
    ),
    formatError: createFormatError(opts.log),
    includeStacktraceInErrorResponses: false,
    introspection: opts.introspection ?? true,
    csrfPrevention: true,
    // Our own shutdown (kit installShutdown) drains and exits; Apollo's would re-raise the signal first.
    stopOnTerminationSignals: false,
    // Traces are for Apollo Studio, which we do not use; they would only cost time per request.
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      // No field carries a cache hint and nothing reads them; the default plugin would still wrap every field's resolver (a hook per field).
      ApolloServerPluginCacheControlDisabled(),
      ...(opts.metrics ? [graphqlMetricsPlugin(opts.metrics)] : []),
      auditFlushPlugin(),
    ],
  });
  await apollo.start();

  app.use(
    '/graphql',
    requireGatewaySignature(
      { secret: opts.secret, previousSecrets: opts.previousSecrets },
      opts.replayGuard ?? memoryReplayGuard(),
      opts.log,
    ),
    express.json({ limit: '1mb', verify: (_req, res, raw) => void ((res as Response).locals.bodyDigest = bodyDigest(raw)) }),
    requireSignedBody(opts.log),
    expressMiddleware(apollo, {
      context: async ({ res }) => {
        const requestId = res.locals.requestId as string;
        // The client's own name: the gateway names its fetches <Operation>__<subgraph>__<n>.
        const operation = clientOperationName((res.locals.signed as { operationName: string }).operationName) ?? '';
        return opts.context({ actor: res.locals.actor as Actor, requestId, operation, log: opts.log.child({ requestId }) });
      },
    }),
  );
  return { app, httpServer, apollo, beginShutdown: () => void (shuttingDown = true) };
}
