/**
 * `pnpm check:dist` (after `pnpm build:dist --install`): proves the compiled image contents run.
 * Applies the migrations with the compiled migrate command, runs the pods' init container
 * (wait-for-schema) for every service, then starts every compiled process
 * with plain `node` — each subgraph, each worker, then the gateway in front of those subgraphs —
 * against the PostgreSQL and Redis of DATABASE_URL / REDIS_URL, waits until every /readyz
 * answers 200, and stops them with SIGTERM, expecting a clean exit. Exits 1 naming what failed.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { SUBGRAPHS } from '@medcollab/kit';

const DIST = path.resolve(__dirname, '..', 'dist');
const READY_TIMEOUT_MS = 300_000;

interface Started {
  name: string;
  child: ChildProcess;
  port: number;
  output: string[];
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function start(name: string, entry: string, port: number, env: NodeJS.ProcessEnv): Started {
  const child = spawn(process.execPath, [entry], { cwd: DIST, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  child.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  return { name, child, port, output };
}

async function waitReady(p: Started): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (p.child.exitCode !== null) throw new Error(`${p.name} exited with ${p.child.exitCode}:\n${p.output.join('')}`);
    try {
      const res = await fetch(`http://127.0.0.1:${p.port}/readyz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${p.name} was not ready within ${READY_TIMEOUT_MS / 1000} s:\n${p.output.join('')}`);
}

function stop(p: Started): Promise<number | null> {
  if (p.child.exitCode !== null) return Promise.resolve(p.child.exitCode);
  return new Promise((resolve) => {
    p.child.once('exit', (code) => resolve(code));
    p.child.kill('SIGTERM');
  });
}

async function main(): Promise<void> {
  if (!existsSync(path.join(DIST, 'node_modules'))) throw new Error('dist/ has no dependencies: run `pnpm build:dist --install` first');
  // Queues of this check never mix with a running system's.
  const common = {
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    MIGRATE_ON_START: 'false',
    EVENTS_PREFIX: `medcollab-dist-check-${process.pid}`,
  };
  execFileSync(process.execPath, ['scripts/migrate.js'], { cwd: DIST, env: { ...process.env, ...common }, stdio: 'inherit' });
  // The init container of every pod: returns at once when the schema is the image's.
  for (const { name } of SUBGRAPHS) {
    execFileSync(process.execPath, ['scripts/wait-for-schema.js', name, '--timeout-seconds', '30'], {
      cwd: DIST,
      env: { ...process.env, ...common },
      stdio: 'inherit',
    });
  }

  const running: Started[] = [];
  let failure: Error | undefined;
  try {
    for (const { name } of SUBGRAPHS) {
      const port = await freePort();
      running.push(start(name, `services/${name}/src/index.js`, port, { ...common, PORT: String(port) }));
      const healthPort = await freePort();
      running.push(start(`${name}-worker`, `services/${name}/src/worker.js`, healthPort, { ...common, HEALTH_PORT: String(healthPort) }));
    }
    await Promise.all(running.map(waitReady));
    const subgraphUrls = Object.fromEntries(
      running
        .filter((p) => !p.name.endsWith('-worker'))
        .map((p) => [`SUBGRAPH_${p.name.toUpperCase()}_URL`, `http://127.0.0.1:${p.port}/graphql`]),
    );
    const gatewayPort = await freePort();
    // Its metrics port too: the default (4100) may belong to a system started on this machine.
    const metricsPort = await freePort();
    const gateway = start('gateway', 'gateway/src/index.js', gatewayPort, {
      ...common,
      ...subgraphUrls,
      PORT: String(gatewayPort),
      METRICS_PORT: String(metricsPort),
    });
    running.push(gateway);
    await waitReady(gateway);
    console.log(`compiled processes ready: ${running.map((p) => p.name).join(', ')}`);
  } catch (error) {
    failure = error as Error;
  }
  const codes = await Promise.all(running.map(async (p) => [p.name, await stop(p)] as const));
  if (failure) throw failure;
  const unclean = codes.filter(([, code]) => code !== 0);
  if (unclean.length) {
    // What an unclean process said last is usually why (a step that failed, a timed-out shutdown).
    const said = running
      .filter((p) => unclean.some(([name]) => name === p.name))
      .map((p) => `--- ${p.name}:\n${p.output.join('').slice(-3000)}`);
    throw new Error(`not stopped cleanly by SIGTERM: ${unclean.map(([n, c]) => `${n} (${c})`).join(', ')}\n${said.join('\n')}`);
  }
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
