/**
 * `pnpm check:dist` (after `pnpm build:dist --install`): proves the compiled image contents run.
 * Applies the migrations with the compiled migrate command, runs the pods' init container
 * (wait-for-schema) for every service, then starts every compiled process
 * with plain `node` — each subgraph, each worker, then the gateway in front of those subgraphs —
 * against the PostgreSQL and Redis of DATABASE_URL / REDIS_URL, waits until every /readyz
 * answers 200, and stops them with SIGTERM, expecting a clean exit. Exits 1 naming what failed.
 * A process whose port was taken between asking for it and binding it is started again on
 * another; none is left running, whatever ends the check (SIGKILL after 30 s, and at exit).
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { SUBGRAPHS } from '@medcollab/kit';
import { addressInUse, freePort } from './lib/ports';

const DIST = path.resolve(__dirname, '..', 'dist');
const READY_TIMEOUT_MS = 300_000;
/** A process that has not exited this long after SIGTERM is killed (and reported unclean). */
const STOP_TIMEOUT_MS = 30_000;
/** Starts of one process whose port another process took first before this check gives up. */
const PORT_ATTEMPTS = 5;

/** One compiled process: restarted on fresh ports while it fails only because its port was taken. */
interface Started {
  name: string;
  entry: string;
  env: NodeJS.ProcessEnv;
  /** The environment variables that name its ports; the first is the one /readyz answers on. */
  portVars: string[];
  port: number;
  child: ChildProcess;
  output: string[];
  attempts: number;
}

/** Every port handed out in this run: two processes never get the same one. */
const taken = new Set<number>();
/** Every child started, so none outlives this check, whatever ends it. */
const children = new Set<ChildProcess>();
process.once('exit', () => children.forEach((c) => c.exitCode === null && c.signalCode === null && c.kill('SIGKILL')));

async function launch(p: Omit<Started, 'port' | 'child' | 'output'>): Promise<Started> {
  const ports = await Promise.all(p.portVars.map(() => freePort(taken)));
  const env = { ...process.env, ...p.env, ...Object.fromEntries(p.portVars.map((v, i) => [v, String(ports[i])])) };
  const child = spawn(process.execPath, [p.entry], { cwd: DIST, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  const output: string[] = [];
  child.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  return { ...p, port: ports[0]!, child, output };
}

function start(name: string, entry: string, portVars: string[], env: NodeJS.ProcessEnv): Promise<Started> {
  return launch({ name, entry, env, portVars, attempts: 1 });
}

/**
 * Resolves once /readyz answers 200. A process that exited because one of its ports was taken
 * meanwhile (freePort's port is only free when asked) is started again on new ports.
 */
async function waitReady(p: Started): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (p.child.exitCode !== null) {
      const said = p.output.join('');
      if (!addressInUse(said) || p.attempts >= PORT_ATTEMPTS) throw new Error(`${p.name} exited with ${p.child.exitCode}:\n${said}`);
      console.log(`${p.name}: port ${p.port} was taken before it could listen; starting it on another`);
      Object.assign(p, await launch({ ...p, attempts: p.attempts + 1 }));
      continue;
    }
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

/** SIGTERM, then SIGKILL after STOP_TIMEOUT_MS: its exit code, or the signal that ended it. */
function stop(p: Started): Promise<number | string | null> {
  const { child } = p;
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode ?? child.signalCode);
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    child.once('exit', (code, signal) => {
      clearTimeout(killer);
      resolve(code ?? signal);
    });
    child.kill('SIGTERM');
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
      running.push(await start(name, `services/${name}/src/index.js`, ['PORT'], common));
      running.push(await start(`${name}-worker`, `services/${name}/src/worker.js`, ['HEALTH_PORT'], common));
    }
    await Promise.all(running.map(waitReady));
    const subgraphUrls = Object.fromEntries(
      running
        .filter((p) => !p.name.endsWith('-worker'))
        .map((p) => [`SUBGRAPH_${p.name.toUpperCase()}_URL`, `http://127.0.0.1:${p.port}/graphql`]),
    );
    // Its metrics port too: the default (4100) may belong to a system started on this machine.
    const gateway = await start('gateway', 'gateway/src/index.js', ['PORT', 'METRICS_PORT'], { ...common, ...subgraphUrls });
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
