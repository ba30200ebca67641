import { existsSync, readFileSync } from 'node:fs';
import { ConfigError, createLogger, installShutdown } from '@medcollab/kit';
import { loadGatewayConfig } from './config';
import { createGateway } from './server';

/** Starts the gateway (port 4000 unless PORT/GATEWAY_PORT say otherwise); stops on SIGTERM. */
async function main(): Promise<void> {
  const config = loadGatewayConfig();
  const log = createLogger('gateway', config.LOG_LEVEL);
  if (!existsSync(config.SUPERGRAPH_PATH)) {
    throw new Error(`No supergraph at ${config.SUPERGRAPH_PATH}: run \`pnpm compose\` first.`);
  }
  const supergraphSdl = readFileSync(config.SUPERGRAPH_PATH, 'utf8');
  let gateway;
  try {
    gateway = await createGateway({ supergraphSdl, config, log });
  } catch (error) {
    throw new Error(
      `The gateway could not load ${config.SUPERGRAPH_PATH}: ${(error as Error).message}\nRun \`pnpm compose\` to rebuild it.`,
    );
  }
  const port = await gateway.listen(config.PORT).catch((error: NodeJS.ErrnoException & { port?: number }) => {
    if (error.code !== 'EADDRINUSE') throw error;
    const which = error.port === undefined ? `Port ${config.PORT}` : `Metrics port ${error.port}`;
    throw new Error(`${which} is in use; stop the other process or set ${error.port === undefined ? 'PORT' : 'METRICS_PORT'}.`);
  });
  log.info({ port, metricsPort: gateway.metricsPort(), subgraphs: gateway.subgraphUrls }, 'gateway listening');
  installShutdown(log, [{ name: 'gateway', run: gateway.stop }], config.SHUTDOWN_TIMEOUT_MS);
}

main().catch((error: Error) => {
  console.error(error instanceof ConfigError ? error.message : `gateway failed to start: ${error.message}`);
  process.exit(1);
});
