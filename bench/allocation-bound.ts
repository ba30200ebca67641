/**
 * OPTIMAL's lower bounds on issue #14's 24-block year (ADR 0055): per worst rank, the seats'
 * Lagrangian bound (seconds, rounds) against stage 1's LP relaxation (when the model is small
 * enough to hand to HiGHS whole), and how long the run's checks (validation, each student's plan
 * alone: the floors) take before the budget starts. No allocation is solved.
 *
 *   pnpm --filter @medcollab/bench exec tsx allocation-bound.ts --students 80 --ranks 1,2,3
 *   pnpm --filter @medcollab/bench exec tsx allocation-bound.ts --students 1000 --ranks 3,5 --lp false
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { compareBounds } from '@medcollab/allocation';
import { familyInstance } from './allocation-instances';

const { values: args } = parseArgs({
  options: {
    students: { type: 'string', default: '80' },
    ranks: { type: 'string', default: '1,2,3' },
    seed: { type: 'string', default: 'medcollab-2026' },
    /** Seconds for each bound. */
    seconds: { type: 'string', default: '30' },
    lp: { type: 'string', default: 'true' },
  },
});

const fixed = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : 'none');

async function main(): Promise<void> {
  const load = () => loadavg()[0]!.toFixed(1);
  console.log(`${new Date().toISOString()} load ${load()}: year${args.students}, bounds per worst rank, ${args.seconds} s each`);
  const input = familyInstance('year', Number(args.students), args.seed);
  const { checksSeconds } = await compareBounds(input, args.ranks.split(',').map(Number), {
    seconds: Number(args.seconds),
    lp: args.lp === 'true',
    onRank: ({ worstRank, stageOneColumns, lagrangian: lag, lp }) =>
      console.log(
        `worst rank ${worstRank}: stage 1 ${stageOneColumns} columns; Lagrangian ${lag.infeasible ? 'INFEASIBLE' : fixed(lag.bound)} ` +
          `in ${lag.rounds} rounds, ${lag.seconds.toFixed(2)} s wall, ${lag.cpuSeconds.toFixed(2)} s CPU (block by block at the best prices +${lag.orderedGain.toFixed(1)}); ` +
          `LP ${lp ? `${lp.infeasible ? 'INFEASIBLE' : fixed(lp.bound)} in ${lp.seconds.toFixed(2)} s wall` : 'not tried'} (load ${load()})`,
      ),
  });
  console.log(
    `checks before the budget (instance, necessary conditions, floors): ${checksSeconds.toFixed(2)} s; ${new Date().toISOString()} load ${load()}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
