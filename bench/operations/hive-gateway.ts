/**
 * The same supergraph behind Hive Gateway (the reference federation gateway): JWT verified
 * with jose as ours does, and every subgraph fetch signed with the kit's helper (actor, request
 * id, operation name, exact body, nonce), so the subgraphs accept it exactly as they accept ours;
 * its merging of identical in-flight subgraph requests is off, so it sends the same work.
 * Usage (by bench/operations.ts): PORT=… BENCH_SUBGRAPH_URLS='{…}' node --import tsx bench/operations/hive-gateway.ts
 */
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createGatewayRuntime, type GatewayPlugin } from '@graphql-hive/gateway';
import { DEV_INTERNAL_SECRET, encodeActor, signEncodedActor, type Actor } from '@medcollab/kit';
import { actorFromAuthorization, subgraphUrlsFromEnv, withSubgraphUrls } from './actor-from-token';

const secret = process.env.INTERNAL_SIGNING_SECRET || DEV_INTERNAL_SECRET;
let loggedFetches = 0;

interface BenchContext {
  actorB64?: string;
  requestId?: string;
}

const signing: GatewayPlugin<BenchContext> = {
  async onContextBuilding({ context, extendContext }) {
    const actor: Actor | undefined = await actorFromAuthorization(context.request.headers.get('authorization'));
    extendContext({ actorB64: actor ? encodeActor(actor) : undefined, requestId: randomUUID() });
  },
  onFetch({ url, options, setOptions, context }) {
    const ctx = context as BenchContext;
    if (!ctx.actorB64) return;
    const body = typeof options.body === 'string' ? options.body : '';
    const operationName = (JSON.parse(body || '{}') as { operationName?: string }).operationName ?? '';
    const signed = signEncodedActor(ctx.actorB64, { secret, requestId: ctx.requestId ?? '', operationName, body });
    // BENCH_HIVE_LOG_FETCHES=n prints the first n subgraph requests: Hive's plan has no printer.
    if (loggedFetches < Number(process.env.BENCH_HIVE_LOG_FETCHES ?? 0)) {
      loggedFetches += 1;
      console.error(`hive fetch ${loggedFetches} to ${String(url)}: ${body.slice(0, 3_000)}`);
    }
    setOptions({ ...options, headers: { ...(options.headers as Record<string, string>), ...signed } });
  },
};

const supergraph = withSubgraphUrls(
  readFileSync(process.env.SUPERGRAPH_PATH ?? path.resolve(__dirname, '../../gateway/supergraph.graphql'), 'utf8'),
  subgraphUrlsFromEnv(),
);
const gateway = createGatewayRuntime<BenchContext>({
  supergraph,
  logging: false,
  plugins: () => [signing],
  // Hive merges identical in-flight subgraph queries by default (keyed on URL and body: the
  // signed actor headers are added after the key is taken). Under a load of one repeated
  // operation that served most requests from another request's subgraph round trip — a tenth
  // of the subgraph work of ours (ADR 0010). Ours and the bare gateway never merge, and merging
  // across callers would share one caller's answer with another, so it is off here.
  // BENCH_HIVE_DEDUPLICATE=1 turns it back on, to see the bench refuse the target for it.
  transportEntries: {
    '*.http': { options: { deduplicateInflightRequests: process.env.BENCH_HIVE_DEDUPLICATE === '1' } as Record<string, unknown> },
  },
});
createServer(gateway).listen(Number(process.env.PORT), () => console.log(`hive gateway on port ${process.env.PORT}`));
