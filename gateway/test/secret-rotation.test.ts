import { randomUUID } from 'node:crypto';
import { startSupergraph, tokenFor, type RunningSupergraph } from '@medcollab/testing';
import { ECHO_SDL, echoResolvers } from './fixtures/echo';
import { startFixtureSubgraph, type FixtureSubgraph } from './fixtures/subgraph';

// The rollout of a new INTERNAL_SIGNING_SECRET (docs/operations.md, "Rotating secrets"):
// subgraphs first learn the new secret while still accepting the old one, then the gateway
// signs with the new one, then the old one is dropped.
const OLD = 'old-internal-signing-secret-'.padEnd(40, 'o');
const NEW = 'new-internal-signing-secret-'.padEnd(40, 'n');
const actor = { personId: randomUUID(), institutionId: randomUUID(), roles: ['COORDINATOR' as const] };

const running: { stop(): Promise<void> }[] = [];
afterAll(async () => {
  for (const r of running.reverse()) await r.stop();
});

async function gatewayOver(subgraph: FixtureSubgraph, gatewaySecret: string): Promise<RunningSupergraph> {
  const supergraph = await startSupergraph({ subgraphs: [subgraph], secret: gatewaySecret });
  running.push(supergraph);
  return supergraph;
}

async function subgraphWith(secret: string, previousSecrets?: string[]): Promise<FixtureSubgraph> {
  const subgraph = await startFixtureSubgraph({ name: 'echo', sdl: ECHO_SDL, resolvers: echoResolvers }, { secret, previousSecrets });
  running.push(subgraph);
  return subgraph;
}

const ask = async (supergraph: RunningSupergraph) =>
  supergraph.request<{ echoActor: { personId: string } }>('{ echoActor { personId } }', { token: await tokenFor(actor) });

describe('rotating the gateway-to-subgraph signing secret with two keys', () => {
  it('a subgraph that knows the new and the previous secret serves gateways signing with either', async () => {
    const subgraph = await subgraphWith(NEW, [OLD]);
    for (const gatewaySecret of [OLD, NEW]) {
      const res = await ask(await gatewayOver(subgraph, gatewaySecret));
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data?.echoActor.personId).toBe(actor.personId);
    }
  });

  it('once the previous secret is dropped, what the old gateway signs is refused', async () => {
    const subgraph = await subgraphWith(NEW);
    const res = await ask(await gatewayOver(subgraph, OLD));
    expect(res.body.data?.echoActor ?? null).toBeNull();
    expect(res.body.errors?.length).toBeGreaterThan(0);
  });
});
