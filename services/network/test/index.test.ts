import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');

/** Runs src/index.ts as an operator would, with the given environment. */
function start(env: Record<string, string>) {
  const result = spawnSync(join(root, 'node_modules', '.bin', 'tsx'), [join(__dirname, '..', 'src', 'index.ts')], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'info', PORT: '0', ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('src/index.ts', () => {
  it('exits 1 with a fatal line saying how to start PostgreSQL when it is unreachable', () => {
    const { status, output } = start({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/postgres' });
    expect(status).toBe(1);
    expect(output).toContain('"level":60');
    expect(output).toContain('PostgreSQL is not reachable');
    expect(output).toContain('pg_ctlcluster --skip-systemctl-redirect');
  }, 240_000);

  it('exits 1 naming the bad variable on a configuration error', () => {
    const { status, output } = start({ INTERNAL_SIGNING_SECRET: 'short' });
    expect(status).toBe(1);
    expect(output).toContain('INTERNAL_SIGNING_SECRET: must be at least 32 characters');
  }, 240_000);
});
