/**
 * `pnpm k8s:generate`: writes k8s/base from the service table (packages/kit/src/registry.ts),
 * removing base files no service produces any more. `--check` only compares and exits 1 when
 * k8s/base is stale (the Jest suite runs the same comparison).
 */
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { baseFiles } from './base';

export const BASE_DIR = path.resolve(__dirname, '..', '..', '..', 'k8s', 'base');

/** Files of k8s/base that differ from what the table generates (missing, changed or left over). */
export function staleBaseFiles(dir = BASE_DIR, files = baseFiles()): string[] {
  const onDisk = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.yaml')) : [];
  const changed = Object.entries(files)
    .filter(([name, text]) => !existsSync(path.join(dir, name)) || readFileSync(path.join(dir, name), 'utf8') !== text)
    .map(([name]) => name);
  const leftOver = onDisk.filter((f) => !(f in files));
  return [...changed, ...leftOver].sort();
}

function main(): void {
  const files = baseFiles();
  const stale = staleBaseFiles(BASE_DIR, files);
  if (process.argv.includes('--check')) {
    if (stale.length) {
      console.error(`k8s/base is stale (${stale.join(', ')}): run pnpm k8s:generate`);
      process.exit(1);
    }
    return;
  }
  for (const name of readdirSync(BASE_DIR).filter((f) => f.endsWith('.yaml') && !(f in files))) rmSync(path.join(BASE_DIR, name));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(BASE_DIR, name), text);
  console.error(stale.length ? `k8s/base updated: ${stale.join(', ')}` : 'k8s/base is current');
}

if (require.main === module) main();
