/**
 * Start-up time of one subgraph: TypeScript through tsx (the old image) vs the compiled
 * JavaScript of `pnpm build:dist --install` (the production image), from spawn to the first
 * 200 on /readyz, against the PostgreSQL and Redis of DATABASE_URL / REDIS_URL (migrated first).
 *
 *   pnpm build:dist --install && pnpm --filter @medcollab/bench exec tsx startup.ts [--service network] [--runs 5]
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { parseArgs } from 'node:util';

const ROOT = path.resolve(__dirname, '..');

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

/** Milliseconds from spawn to a 200 on /readyz, and the process's resident memory then. */
async function timeToReady(args: string[], cwd: string): Promise<{ ms: number; rssMb: number }> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd,
    env: { ...process.env, PORT: String(port), LOG_LEVEL: 'warn', MIGRATE_ON_START: 'false' },
    stdio: 'ignore',
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited with ${child.exitCode}`);
      const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const ms = performance.now() - started;
    const status = await import('node:fs').then((fs) => fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return { ms, rssMb: rssKb / 1024 };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { service: { type: 'string', default: 'network' }, runs: { type: 'string', default: '5' } } });
  const service = values.service;
  const runs = Number(values.runs);
  if (!existsSync(path.join(ROOT, 'dist', 'node_modules'))) throw new Error('run `pnpm build:dist --install` first');
  const variants = {
    tsx: { args: ['--import', 'tsx', `services/${service}/src/index.ts`], cwd: ROOT },
    compiled: { args: [`services/${service}/src/index.js`], cwd: path.join(ROOT, 'dist') },
  };
  const results: Record<string, { ms: number; rssMb: number }[]> = { tsx: [], compiled: [] };
  // Alternate the variants so a busy moment on a shared machine hits both alike.
  for (let i = 0; i < runs; i++) {
    for (const [name, v] of Object.entries(variants)) results[name]!.push(await timeToReady(v.args, v.cwd));
  }
  for (const [name, rows] of Object.entries(results)) {
    const ms = rows.map((r) => r.ms);
    console.log(
      `${service} ${name.padEnd(8)} ready in median ${median(ms).toFixed(0)} ms (min ${Math.min(...ms).toFixed(0)}, max ${Math.max(...ms).toFixed(0)}), ` +
        `RSS ${median(rows.map((r) => r.rssMb)).toFixed(0)} MB`,
    );
  }
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
