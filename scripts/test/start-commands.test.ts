import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SUBGRAPHS } from '@medcollab/kit';
import { startCommands } from '../lib/start-commands';

/** `pnpm start` runs every process of the system, and gives each the environment it was started with. */
describe('the processes of pnpm start', () => {
  const env = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', DATABASE_URL: 'postgres://db/x' };
  const commands = startCommands(env);

  it('are every subgraph, every worker, the gateway and the mail catcher, each an entry point that exists', () => {
    expect(commands.map((c) => c.name).sort()).toEqual(
      [...SUBGRAPHS.flatMap((s) => [s.name, `${s.name}-worker`]), 'gateway', 'mail'].sort(),
    );
    for (const { command } of commands) {
      expect(command).toMatch(/^node --import tsx \S+\.ts$/);
      expect(existsSync(join(__dirname, '..', '..', command.split(' ').at(-1)!))).toBe(true);
    }
  });

  it('each get the OTLP endpoint (and the rest of the environment) pnpm start was given', () => {
    for (const c of commands) expect(c.env).toMatchObject(env);
  });
});
