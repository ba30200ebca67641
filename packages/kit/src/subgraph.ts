import { createServer, type Server } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginInlineTraceDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import { buildSubgraphSchema } from '@apollo/subgraph';
import express, { type Express, type RequestHandler } from 'express';
import { type DocumentNode, Kind } from 'graphql';
import { scalarResolvers } from './scalars';
import { type Logger } from 'pino';
import { type Actor, verifyActorHeaders } from './actor';
import { createFormatError } from './format-error';
import { mountHealth, type ReadinessCheck } from './health';
import { graphqlMetricsPlugin, metricsHandler } from './metrics';
import { type Registry } from 'prom-client';

/** What every resolver receives; services extend it with their loaders and data access. */
export interface RequestContext {
  actor: Actor;
  requestId: string;
  log: Logger;
}

export interface SubgraphServerOptions<C extends RequestContext> {
  name: string;
  typeDefs: DocumentNode;
  // Resolver maps are typed per service; @apollo/subgraph's own type is too loose to help here.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  resolvers: any;
  secret: string;
  log: Logger;
  readiness: Record<string, ReadinessCheck>;
  /** Builds a request's context (fresh DataLoaders each time). */
  context: (base: RequestContext) => C | Promise<C>;
  introspection?: boolean;
  /** Serves /metrics from this registry, with GraphQL operation metrics added to it. */
  metrics?: Registry;
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

/** Refuses (HTTP 401) every GraphQL request that the gateway did not sign, `_entities` included. */
function requireGatewaySignature(secret: string, log: Logger): RequestHandler {
  return (req, res, next) => {
    const verified = verifyActorHeaders(req.headers, { secret });
    if (!verified.ok) {
      log.warn({ reason: verified.reason, ip: req.ip }, 'unsigned subgraph request refused');
      res.status(401).json({ errors: [{ message: 'Requests must come through the gateway', extensions: { code: 'UNAUTHENTICATED' } }] });
      return;
    }
    res.locals.actor = verified.actor;
    res.locals.requestId = verified.requestId;
    next();
  };
}

/** The HTTP face shared by every subgraph: health, readiness, signed /graphql. */
export async function createSubgraphServer<C extends RequestContext>(opts: SubgraphServerOptions<C>): Promise<SubgraphServer> {
  const app = express();
  app.disable('x-powered-by');
  const httpServer = createServer(app);
  let shuttingDown = false;
  mountHealth(app, opts.readiness, () => shuttingDown);
  if (opts.metrics) app.get('/metrics', metricsHandler(opts.metrics));

  const apollo = new ApolloServer<RequestContext>({
    schema: buildSubgraphSchema({ typeDefs: opts.typeDefs, resolvers: withScalars(opts.typeDefs, opts.resolvers) }),
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
      ...(opts.metrics ? [graphqlMetricsPlugin(opts.metrics)] : []),
    ],
  });
  await apollo.start();

  app.use(
    '/graphql',
    requireGatewaySignature(opts.secret, opts.log),
    express.json({ limit: '1mb' }),
    expressMiddleware(apollo, {
      context: async ({ res }) => {
        const requestId = res.locals.requestId as string;
        return opts.context({ actor: res.locals.actor as Actor, requestId, log: opts.log.child({ requestId }) });
      },
    }),
  );
  return { app, httpServer, apollo, beginShutdown: () => void (shuttingDown = true) };
}
