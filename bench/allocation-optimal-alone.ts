/**
 * OPTIMAL alone on issue #14's 24-block year (ADR 0041): `allocate(input, 'OPTIMAL')`, which draws
 * its own warm-start lottery, completes it when it is partial and solves. Prints the result with
 * the run's CPU seconds and the load, so that a run on the shared machine can be read against an
 * idle one; the budget (`--limit`, wall seconds) can be raised to give a loaded machine's run the
 * CPU seconds an idle one would have.
 *
 *   pnpm exec tsx bench/allocation-optimal-alone.ts --students 80 --limit 60
 *   pnpm exec tsx bench/allocation-optimal-alone.ts --students 80 --limit 240   # on a loaded machine
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { allocate, checkAllocation } from '@medcollab/allocation';
import { generateInstance } from './allocation-instances';

const { values: args } = parseArgs({
  options: {
    students: { type: 'string', default: '80' },
    limit: { type: 'string', default: '60' },
    seed: { type: 'string', default: 'medcollab-2026' },
  },
});

async function main(): Promise<void> {
  const input = generateInstance({
    students: Number(args.students),
    capacity: 1.05,
    seed: args.seed,
    blocks: 24,
    absences: { share: 0.3, as: 'availability' },
    departmentMaxBlocks: 2,
    clerkship: true,
    hospitalLimit: 12,
    staffingMin: 2,
    surgeryRotation: true,
  });
  const load = () => loadavg()[0]!.toFixed(1);
  console.log(`${new Date().toISOString()} load ${load()}: year${args.students}, OPTIMAL alone, limit ${args.limit} s`);
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const result = await allocate(input, 'OPTIMAL', { timeLimitSeconds: Number(args.limit) });
  const wall = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpuStarted);
  const cpu = (used.user + used.system) / 1e6;
  const problems = checkAllocation(input, result);
  if (result.status === 'INFEASIBLE' || result.status === 'TIMED_OUT') {
    console.log(`${result.status}: ${result.reasons[0]?.message ?? ''}`);
  } else {
    const { gap, bound, notes } = result.solver;
    console.log(
      `${result.status}: total ${result.metrics.totalRank}, bound ${bound ?? '–'}, gap ${gap === null ? 'unknown' : `${(100 * gap).toFixed(2)} %`}, ` +
        `worst ${result.metrics.worstRank ?? '–'} / ${result.metrics.worstRankBeyondFloor ?? '–'} (above floor)`,
    );
    console.log(`  ${notes.join('\n  ')}`);
  }
  console.log(
    `wall ${wall.toFixed(1)} s, CPU ${cpu.toFixed(1)} s, load ${load()} at the end; valid: ${problems.length ? problems[0] : 'yes'}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
