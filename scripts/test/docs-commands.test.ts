import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Every command the operator documents names something that exists: `pnpm <script>` a script of
 * the root package.json (or a pnpm command), and `scripts/<name>.js` / `…/src/<entry>.js` of the
 * image a source file that compiles to it. Reading only code (inline and fenced), not prose.
 */
const ROOT = join(__dirname, '..', '..');
const DOCS = ['README.md', 'docs/operations.md'];
// pnpm's own commands (README.md explains why `pnpm token` is not ours: a built-in).
const PNPM_COMMANDS = new Set(['install', 'exec', 'run', 'add', 'dlx', 'token']);
const scripts = Object.keys((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts);

function codeOf(markdown: string): string[] {
  const fenced = [...markdown.matchAll(/```[a-z]*\n([\s\S]*?)```/g)].map((m) => m[1]!);
  const inline = [...markdown.replace(/```[\s\S]*?```/g, '').matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
  return [...fenced, ...inline];
}

const code = DOCS.flatMap((doc) => codeOf(readFileSync(join(ROOT, doc), 'utf8')).map((text) => ({ doc, text })));

describe('the commands README.md and docs/operations.md show', () => {
  it('run pnpm scripts that exist', () => {
    const used = code.flatMap(({ doc, text }) =>
      [...text.matchAll(/(?:^|[\s;&|(])pnpm ([a-z][\w:-]*)/g)].map((m) => ({ doc, name: m[1]! })),
    );
    expect(used.map((u) => u.name)).toEqual(expect.arrayContaining(['events:replay', 'projections:rebuild', 'trace:collector', 'start']));
    expect(used.filter((u) => !scripts.includes(u.name) && !PNPM_COMMANDS.has(u.name)).map((u) => `${u.doc}: pnpm ${u.name}`)).toEqual([]);
  });

  it("name the image's entry points by files that compile to them", () => {
    const entries = code.flatMap(({ doc, text }) =>
      [...text.matchAll(/\b((?:scripts|gateway\/src|services\/[a-z<>-]+\/src)\/[\w<>-]+)\.js\b/g)].map((m) => ({ doc, path: m[1]! })),
    );
    expect(entries.map((e) => e.path)).toEqual(
      expect.arrayContaining(['scripts/replay-parked', 'scripts/migrate', 'scripts/wait-for-schema']),
    );
    const missing = entries
      .filter((e) => !e.path.includes('<') && !existsSync(join(ROOT, `${e.path}.ts`)))
      .map((e) => `${e.doc}: ${e.path}.js`);
    expect(missing).toEqual([]);
  });
});
