/**
 * `pnpm build:dist`: compiles the processes once to plain JavaScript in `dist/`, laid out like
 * the repository (dist/services/network/src/index.js …), with what they read at run time
 * (schema.graphql, supergraph.graphql) and a copy of every workspace manifest whose `main`
 * points at the compiled file. `dist/` is then a workspace of its own: the production image
 * (Dockerfile) installs its production dependencies there, with the same lockfile.
 *
 *   pnpm build:dist             compile and lay out dist/
 *   pnpm build:dist --install   also install production dependencies in dist/ (what the image does)
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const DIST = path.join(ROOT, 'dist');
/** Workspace packages that only tests and benchmarks use: never installed in the image. */
export const DEV_ONLY_PACKAGES = [
  '@medcollab/testing',
  '@medcollab/bench',
  '@medcollab/deploy',
  '@medcollab/scale-e2e',
  '@medcollab/acceptance',
];

/** The workspace's package directories, from pnpm-workspace.yaml's `packages:` globs (`dir` or `dir/*`). */
function workspaceDirs(): string[] {
  const lines = readFileSync(path.join(ROOT, 'pnpm-workspace.yaml'), 'utf8').split('\n');
  const start = lines.indexOf('packages:');
  const globs: string[] = [];
  for (const line of lines.slice(start + 1)) {
    const match = /^\s+-\s+(\S+)\s*$/.exec(line);
    if (!match) break;
    globs.push(match[1]!.replace(/^['"]|['"]$/g, ''));
  }
  return globs.flatMap((glob) => {
    if (!glob.endsWith('/*')) return [glob];
    const parent = glob.slice(0, -2);
    return readdirSync(path.join(ROOT, parent), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(path.join(ROOT, parent, entry.name, 'package.json')))
      .map((entry) => `${parent}/${entry.name}`);
  });
}

const toJs = (file: string) => file.replace(/\.ts$/, '.js');

function copyInto(relative: string, transform?: (text: string) => string): void {
  const target = path.join(DIST, relative);
  mkdirSync(path.dirname(target), { recursive: true });
  if (transform) writeFileSync(target, transform(readFileSync(path.join(ROOT, relative), 'utf8')));
  else copyFileSync(path.join(ROOT, relative), target);
}

/** A manifest for dist/: `main` on the compiled file, no dev scripts; dependencies untouched so the lockfile still matches. */
function distManifest(text: string): string {
  const manifest = JSON.parse(text) as Record<string, unknown>;
  if (typeof manifest.main === 'string') manifest.main = toJs(manifest.main);
  delete manifest.types;
  delete manifest.scripts;
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

function main(): void {
  const install = process.argv.includes('--install');
  rmSync(DIST, { recursive: true, force: true });
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(ROOT, 'tsconfig.dist.json')], {
    stdio: 'inherit',
  });

  copyInto('package.json', distManifest);
  for (const file of ['pnpm-workspace.yaml', 'pnpm-lock.yaml', '.npmrc']) copyInto(file);
  for (const dir of workspaceDirs()) {
    copyInto(`${dir}/package.json`, distManifest);
    for (const asset of readdirSync(path.join(ROOT, dir)).filter((f) => f.endsWith('.graphql'))) copyInto(`${dir}/${asset}`);
  }
  if (install) {
    const filters = DEV_ONLY_PACKAGES.flatMap((name) => ['--filter', `!${name}`]);
    execFileSync('pnpm', ['install', '--prod', '--frozen-lockfile', '--offline', ...filters], { cwd: DIST, stdio: 'inherit' });
  }
  console.log(`dist/ ready${install ? ' with production dependencies' : ''}`);
}

main();
