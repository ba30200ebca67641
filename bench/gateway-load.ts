/**
 * Load through the real gateway in front of the network subgraph with the demo network.
 * Run: pnpm bench:gateway [--seconds 10] [--connections 20]
 * Uses a throwaway database on DATABASE_URL's server (dropped at the end) and REDIS_URL.
 * Gateway, subgraph and load generator share this machine's cores, so the figures are a
 * floor, not a capacity plan.
 */
import autocannon from 'autocannon';
import { baseConfigShape, createLogger, loadConfig, parseCommandLine, runSubgraph } from '@medcollab/kit';
import { createTestDatabase, startSupergraph, tokenFor } from '@medcollab/testing';
import { networkSubgraph, seedDemoNetwork } from '@medcollab/network';

const SCENARIOS = {
  'students page (50) with school': {
    query: 'query Students($first: Int) { students(first: $first) { edges { node { id familyName school { name } } } } }',
    variables: { first: 50 },
  },
  'institutions with departments': {
    query: 'query Institutions { institutions { id name kind departments { id name specialty } } }',
    variables: {},
  },
  'agreements with parties': {
    query: 'query Agreements { agreements { id status school { name } hospital { name } departments { name } } }',
    variables: {},
  },
};

async function main(): Promise<void> {
  const values = parseCommandLine(
    `Usage: pnpm bench:gateway [--seconds 10] [--connections 20]

Starts the network subgraph and the gateway on the demo network and loads three reads with autocannon.`,
    { seconds: { type: 'string', default: '10' }, connections: { type: 'string', default: '20' } },
  );
  const config = loadConfig(baseConfigShape);
  process.env.TEST_DATABASE_URL ??= config.DATABASE_URL;
  process.env.TEST_REDIS_URL ??= config.REDIS_URL;
  const log = createLogger('bench', 'warn');
  const db = await createTestDatabase('benchnetwork', { entities: networkSubgraph.entities, migrations: networkSubgraph.migrations });
  const network = await runSubgraph(networkSubgraph, { databaseUrl: db.url, redisUrl: process.env.TEST_REDIS_URL, port: 0, log });
  const demo = await seedDemoNetwork(network.dataSource);
  const supergraph = await startSupergraph({
    subgraphs: [{ name: 'network', url: network.url }],
    log,
    gatewayConfig: { LOG_LEVEL: 'warn' },
  });
  const token = await tokenFor({
    personId: demo.networkAdmin.id,
    institutionId: demo.networkAdmin.institutionId,
    roles: ['NETWORK_ADMIN'],
  });

  console.log(
    `gateway load: ${values.connections} connections, ${values.seconds} s per scenario, demo network (${JSON.stringify(demo.counts)})`,
  );
  try {
    for (const [name, body] of Object.entries(SCENARIOS)) {
      const result = await autocannon({
        url: supergraph.url,
        method: 'POST',
        connections: Number(values.connections),
        duration: Number(values.seconds),
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      });
      const errors = result.errors + result.non2xx;
      console.log(
        `${name.padEnd(34)} ${result.requests.average.toFixed(0).padStart(6)} req/s  ` +
          `p50 ${result.latency.p50} ms  p99 ${result.latency.p99} ms  max ${result.latency.max} ms  errors ${errors}`,
      );
    }
  } finally {
    await supergraph.stop();
    await network.stop();
    await db.drop();
  }
}

main().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});
