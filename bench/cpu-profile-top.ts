/**
 * Where a CPU profile's busy time went: self time per package (node_modules/<package>, a
 * workspace file, Node's internals, GC) and the top functions, as shares of the busy time
 * (idle and the in-process inspector's `dispatch` excluded). Reads the `.cpuprofile` files `bench/gateway-cpu.ts --profile` and
 * `node --cpu-prof` write; several files are summed.
 * Usage: pnpm --filter @medcollab/bench exec tsx cpu-profile-top.ts [--top 25] [--no-startup] <file.cpuprofile>…
 * `--no-startup` leaves out samples under module loading and compiling (a `--cpu-prof` child of
 * subgraph-cpu.ts profiles its whole life, and its start-up under tsx outweighs a few hundred requests).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const { values, positionals } = parseArgs({
  options: { top: { type: 'string', default: '25' }, 'no-startup': { type: 'boolean', default: false } },
  allowPositionals: true,
});
const STARTUP = /^(Module\._load|compileForInternalLoader|runCallSync)$/;

/** node_modules/.pnpm/…/node_modules/@scope/name/… → @scope/name; a workspace path → its last two parts. */
export function packageOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const rest = url.slice(modules + '/node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.startsWith('node:')) return 'node:internal';
  const parts = url.replace(/^file:\/\//, '').split('/');
  return parts.slice(-2).join('/');
}

const byPackage = new Map<string, number>();
const byFunction = new Map<string, number>();
/** Time with the function anywhere on the stack (counted once per sample). */
const inclusive = new Map<string, number>();
let busy = 0;
const keyOf = ({ callFrame: { functionName, url, lineNumber } }: ProfileNode) =>
  `${functionName || '(anonymous)'} ${packageOf(url, functionName)}:${lineNumber + 1}`;
for (const file of positionals) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parents = new Map<number, number>();
  for (const n of profile.nodes) for (const child of n.children ?? []) parents.set(child, n.id);
  profile.samples.forEach((id, i) => {
    const node = nodes.get(id)!;
    const { functionName, url, lineNumber } = node.callFrame;

    // Idle, and the inspector's own work when the profile was taken in-process (gateway-cpu.ts --profile).
    if (functionName === '(idle)' || (functionName === 'dispatch' && !url)) return;
    if (values['no-startup'])
      for (let at: number | undefined = id; at !== undefined; at = parents.get(at))
        if (STARTUP.test(nodes.get(at)!.callFrame.functionName)) return;
    const us = profile.timeDeltas[i] ?? 0;
    busy += us;
    const pkg = packageOf(url, functionName);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
    const fn = `${functionName || '(anonymous)'} ${pkg}:${lineNumber + 1}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
    const onStack = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) onStack.add(keyOf(nodes.get(at)!));
    for (const key of onStack) inclusive.set(key, (inclusive.get(key) ?? 0) + us);
  });
}

const top = Number(values.top);
const show = (title: string, map: Map<string, number>) => {
  console.log(title);
  for (const [name, us] of [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`  ${((100 * us) / busy).toFixed(1).padStart(5)} %  ${name}`);
  }
};
console.log(`busy ${(busy / 1000).toFixed(0)} ms in ${positionals.length} profile(s)`);
show('self time by package', byPackage);
show('self time by function', byFunction);
show('inclusive time by function', inclusive);
