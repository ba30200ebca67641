/**
 * The guided draw against a plain one (ADR 0073) on issue #14's 24-block year, without solving any
 * allocation: the LP of stage 1 with the order of blocks relaxed at each worst rank up to the first
 * feasible one (its bound, or its proof that the rank is impossible), then for each seed a plain
 * lottery draw and one in which every student prefers the departments that LP gives them: totals,
 * seconds, staffing closures, places outside those departments, and the students who end more
 * than half a rank above their LP places.
 *
 *   pnpm exec tsx bench/allocation-guided.ts --students 320
 *   pnpm exec tsx bench/allocation-guided.ts --students 320 --seeds a,b,c
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { compareDraws } from '@medcollab/allocation';
import { familyInstance } from './allocation-instances';

const { values: args } = parseArgs({
  options: {
    students: { type: 'string', default: '320' },
    seed: { type: 'string', default: 'medcollab-2026' },
    seeds: { type: 'string', default: 'medcollab-2026' },
  },
});

async function main(): Promise<void> {
  const load = () => loadavg()[0]!.toFixed(1);
  console.log(`${new Date().toISOString()} load ${load()}: year${args.students}, the guided draw against a plain one`);
  await compareDraws(familyInstance('year', Number(args.students), args.seed), args.seeds.split(','), {
    onRelaxation: (r) =>
      console.log(
        `worst rank ${r.worstRank}: stage 1 with the order of blocks relaxed, ${r.columns} columns: LP ${r.infeasible ? 'infeasible' : r.bound.toFixed(1)} in ${r.seconds.toFixed(1)} s`,
      ),
    onDraw: (d) =>
      console.log(
        `${d.kind.padEnd(6)} draw, seed ${d.seed}: total ${d.total}, ${d.unplaced} unplaced, ${d.closures} closures, ${d.seconds.toFixed(1)} s; ` +
          `${d.outside} places outside the LP's departments; ${d.above.length} students above their LP places ` +
          `(largest ${
            d.above
              .slice(0, 5)
              .map((x) => x.toFixed(0))
              .join(', ') || '–'
          }; ${d.above.reduce((t, x) => t + x, 0).toFixed(0)} in all) (load ${load()})`,
      ),
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
