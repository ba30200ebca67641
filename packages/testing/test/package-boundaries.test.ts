import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * Packages meet only through their entry points (docs/architecture.md §6). The lint rule is
 * what keeps it so; this proves the rule refuses both ways of reaching into another package
 * and lets an entry-point import through.
 */
const root = join(__dirname, '..', '..', '..');
// ESLint runs as its own process: its config is an ES module, which Jest's CommonJS sandbox cannot load.
const lint = async (code: string): Promise<string[]> => {
  const run = spawnSync(
    join(root, 'node_modules', '.bin', 'eslint'),
    ['--format', 'json', '--stdin', '--stdin-filename', 'services/curriculum/src/probe.ts'],
    { cwd: root, input: code, encoding: 'utf8' },
  );
  const [result] = JSON.parse(run.stdout) as { messages: { ruleId: string | null; message: string }[] }[];
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
};

describe('package boundaries', () => {
  it("refuses a deep import of another package's files", async () => {
    const messages = await lint("import { networkSubgraph } from '@medcollab/network/src/server';\nexport const m = networkSubgraph;\n");
    expect(messages).toEqual([expect.stringContaining('through its entry point')]);
  });

  it('refuses a relative path into another service', async () => {
    const messages = await lint("import { networkSubgraph } from '../../network/src/server';\nexport const m = networkSubgraph;\n");
    expect(messages).toEqual([]);
    const across = await lint(
      "import { networkSubgraph } from '../../../services/network/src/server';\nexport const m = networkSubgraph;\n",
    );
    expect(across).toEqual([expect.stringContaining('through its name')]);
  });

  it("allows the package's entry point", async () => {
    expect(await lint("import { networkSubgraph } from '@medcollab/network';\nexport const m = networkSubgraph;\n")).toEqual([]);
  });
});
