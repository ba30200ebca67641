/**
 * Complementary suppression of one large system: a hospital's scope tree (the hospital, its
 * departments, their teachers) crossed with its year's period tree (the year, two terms, the
 * blocks), the shape quality protects for each evaluation metric and item of a year report.
 * protectSystem as it is (the derivable positions kept up to date, incremental.ts) against as it
 * was (every step reduced again, packages/anonymity/test/reference.ts), alternately in one process
 * (the same load), checking that both mark every position alike.
 *
 *   pnpm --filter @medcollab/bench exec tsx protection.ts [--departments 20] [--teachers 5] [--blocks 24] [--mean 2] [--systems 3] [--reference true]
 *
 * Evaluations per teacher and block are drawn (Poisson, `--mean`, a fixed seed per system), each
 * from a distinct evaluator; every other figure is the sum of its children.
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
// The package's source and the test's reference (the algorithm before); the bench is not the package's client.
// eslint-disable-next-line no-restricted-imports
import { type CellStats, productEquations, protectSystem } from '../packages/anonymity/src';
// eslint-disable-next-line no-restricted-imports
import { protectSystemByReduction } from '../packages/anonymity/test/reference';
// eslint-disable-next-line no-restricted-imports
import { prng } from '../packages/scale-world/src/random';

const { values: args } = parseArgs({
  options: {
    departments: { type: 'string', default: '20' },
    teachers: { type: 'string', default: '5' },
    blocks: { type: 'string', default: '24' },
    mean: { type: 'string', default: '2' },
    systems: { type: 'string', default: '3' },
    reference: { type: 'string', default: 'true' },
  },
});
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

const poisson = (rand: () => number, mean: number): number => {
  let [n, p] = [0, rand()];
  while (p > Math.exp(-mean)) {
    p *= rand();
    n++;
  }
  return n;
};

function system(seed: number): { stats: CellStats[]; equations: ReturnType<typeof productEquations> } {
  const D = Number(args.departments);
  const T = Number(args.teachers);
  const B = Number(args.blocks);
  const scope = [-1, ...Array.from({ length: D }, () => 0), ...Array.from({ length: D * T }, (_, t) => 1 + Math.floor(t / T))];
  const period = [-1, 0, 0, ...Array.from({ length: B }, (_, b) => (b < B / 2 ? 1 : 2))];
  const rand = prng(seed);
  const cols = period.length;
  const grid = scope.map((_, r) => period.map((_, c) => (r > D && c > 2 ? poisson(rand, Number(args.mean)) : 0)));
  for (let r = scope.length - 1; r > 0; r--) for (let c = 0; c < cols; c++) grid[scope[r]!]![c]! += grid[r]![c]!;
  for (const row of grid) for (let c = cols - 1; c > 0; c--) row[period[c]!]! += row[c]!;
  return { stats: grid.flat().map((n) => ({ evaluations: n, evaluators: n })), equations: productEquations(scope, period) };
}

function main(): void {
  console.log(`load average at start: ${load()}`);
  for (let s = 1; s <= Number(args.systems); s++) {
    const { stats, equations } = system(s);
    const primary = stats.filter((x) => x.evaluations > 0 && x.evaluators < 5).length;
    let t = performance.now();
    const marks = protectSystem(stats, equations, 5);
    const now = performance.now() - t;
    const hidden = marks.filter((m) => m !== null).length;
    let line = `system ${s}: ${stats.length} positions, ${equations.length} equations, ${primary} below k, ${hidden} hidden; incremental ${now.toFixed(0)} ms`;
    if (args.reference === 'true') {
      t = performance.now();
      const before = protectSystemByReduction(stats, equations, 5);
      const then = performance.now() - t;
      const same = before.every((m, i) => m === marks[i]);
      line += `, reduced every step ${then.toFixed(0)} ms (${(then / now).toFixed(1)}×); same marks: ${same}`;
      if (!same) process.exitCode = 1;
    }
    console.log(`${line}; load ${load()}`);
  }
}

main();
