/**
 * A bare @apollo/gateway: the same supergraph and the same subgraph signing (the subgraphs
 * refuse anything else), JWT verified with jose, and nothing else (no limits, masking, request
 * log, deadline, health). The bench's reference for what our plugins cost.
 * Usage (by bench/operations.ts): PORT=… BENCH_SUBGRAPH_URLS='{…}' node --import tsx bench/operations/bare-gateway.ts
 */
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { DEV_INTERNAL_SECRET, encodeActor, signEncodedActor, type Actor } from '@medcollab/kit';
import { DEFAULT_SUPERGRAPH_PATH } from '@medcollab/gateway';
import { actorFromAuthorization, subgraphUrlsFromEnv, withSubgraphUrls } from './actor-from-token';

interface Context {
  actor?: Actor;
  requestId: string;
}
const secret = process.env.INTERNAL_SIGNING_SECRET || DEV_INTERNAL_SECRET;

class Signed extends RemoteGraphQLDataSource<Context> {
  override willSendRequest({ request, context }: Parameters<NonNullable<RemoteGraphQLDataSource<Context>['willSendRequest']>>[0]): void {
    request.http!.headers.set('x-bench-actor', context.actor ? encodeActor(context.actor) : '');
    request.http!.headers.set('x-bench-request-id', context.requestId);
    request.http!.headers.set('x-bench-operation', request.operationName ?? '');
  }
}

async function main(): Promise<void> {
  const sdl = withSubgraphUrls(readFileSync(process.env.SUPERGRAPH_PATH ?? DEFAULT_SUPERGRAPH_PATH, 'utf8'), subgraphUrlsFromEnv());
  const gateway = new ApolloGateway({
    supergraphSdl: sdl,
    buildService: ({ url }) => {
      const source = new Signed({ url });
      source.fetcher = (async (target: string, init: { headers: Record<string, string>; body?: string }) => {
        const headers = { ...init.headers };
        const requestId = headers['x-bench-request-id'] ?? '';
        const operationName = headers['x-bench-operation'] ?? '';
        Object.assign(
          headers,
          signEncodedActor(headers['x-bench-actor'] ?? '', { secret, requestId, operationName, body: init.body ?? '' }),
        );
        for (const name of ['x-bench-actor', 'x-bench-request-id', 'x-bench-operation']) delete headers[name];
        return fetch(target, { ...init, headers } as RequestInit);
      }) as unknown as RemoteGraphQLDataSource['fetcher'];
      return source;
    },
  });
  const server = new ApolloServer<Context>({ gateway });
  const { url } = await startStandaloneServer(server, {
    listen: { port: Number(process.env.PORT) },
    context: async ({ req }) => ({ actor: await actorFromAuthorization(req.headers.authorization), requestId: randomUUID() }),
  });
  console.log(`bare gateway at ${url}`);
}

main().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});
