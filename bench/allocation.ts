/**
 * Rotation allocation benchmark: OPTIMAL (HiGHS, lexicographic) and LOTTERY (RSD) side by side.
 *
 *   pnpm bench:allocation                         # 100, 200, 400, 1000 students (tight and loose) + mss
 *   pnpm bench:allocation --sizes 100,200 --capacity tight
 *   pnpm bench:allocation --sizes mss --seed other
 *   pnpm bench:allocation --sizes away                  # availability vs per-block bars (issue #14)
 *   pnpm bench:allocation --sizes features              # 80 and 320 students with availability and no department twice
 *   pnpm bench:allocation --sizes clerkship80,clerkship1000  # a clerkship year: groups, precedence, availability, no department twice
 *   pnpm bench:allocation --sizes staffed80,staffed320  # the same with hospital limits (6 blocks) and minimum staffing (2 or none)
 *   pnpm bench:allocation --sizes rotations80,rotations320  # the staffed year with surgery as one 2-block rotation
 *   pnpm bench:allocation --sizes year80,year320,year1000   # issue #14's year: 24 two-week blocks, every feature
 *   pnpm bench:allocation --sizes year80 --warm-up 0        # without warming HiGHS up first (a cold process)
 *
 * Instances come from bench/allocation-instances.ts (deterministic for a seed; the feature
 * families from one parameterised generator, FAMILIES). For each one it prints the OPTIMAL and
 * LOTTERY figures, then issue 14's whole-schedule comparison of the two (students all at their
 * first choice, the worst student's total rank, hospital changes, idle blocks), validates every
 * result with checkAllocation (an invalid result misses its target), and checks
 * the targets: 200 students proven optimal in <= 10 s, 400 within 1 % in <= 60 s, 1,000 a
 * complete allocation with its gap in <= 300 s, and OPTIMAL with at least as many first choices
 * and a worst rank no worse than LOTTERY's.
 *
 * Like the rotations worker's allocation thread (ADR 0068), the process warms HiGHS up once
 * before the first instance (`warmUpSolver`); that time is printed on its own line and is not in
 * any run's wall, which counts everything else a coordinator waits for (the checks included).
 * The time target is OPTIMAL's: the wall until its result (`onVariation`), which on an instance
 * it draws its own start for runs before the lottery draw (ADR 0073); the whole run's wall is
 * printed beside it. The budget (`--limit`) starts after the checks, so a run that must end
 * within the target is given the target less the checks (year320: `--limit 54`, checks 5.5 s).
 */
import { parseArgs } from 'node:util';
import {
  type AllocationInput,
  type AllocationResult,
  checkAllocation,
  runVariations,
  WARM_UP_SECONDS,
  warmUpSolver,
} from '@medcollab/allocation';
import { CAPACITY, FAMILIES, familyInstance, generateInstance, mssInstance } from './allocation-instances';

const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100,200,400,1000,mss' },
    capacity: { type: 'string', default: 'tight,loose' },
    seed: { type: 'string', default: 'medcollab-2026' },
    /** Overrides every instance's time limit (seconds); the targets stay as they are. */
    limit: { type: 'string' },
    /** Prints OPTIMAL's solver notes (stages, columns, seconds) after each instance. */
    notes: { type: 'boolean', default: false },
    /** Seconds of HiGHS warm-up before the first instance, as the worker's thread does at start-up (0: none). */
    'warm-up': { type: 'string', default: String(WARM_UP_SECONDS) },
  },
});

/** Time limit of OPTIMAL per size: the target itself. */
const LIMIT: Record<string, number> = {
  100: 10,
  200: 10,
  400: 60,
  1000: 300,
  mss: 60,
  away: 60,
  features80: 5,
  features320: 60,
  clerkship80: 5,
  clerkship320: 60,
  clerkship1000: 300,
  staffed80: 5,
  staffed320: 60,
  staffed1000: 300,
  rotations80: 5,
  rotations320: 60,
  year80: 5,
  year320: 60,
  year1000: 300,
};
const MAX_GAP: Record<string, number> = {
  100: 0,
  200: 0,
  400: 0.01,
  1000: Infinity,
  mss: 0,
  away: 0.01,
  features80: 0.01,
  features320: 0.01,
  clerkship80: 0.01,
  clerkship320: 0.01,
  clerkship1000: Infinity,
  staffed80: 0.01,
  staffed320: 0.01,
  staffed1000: Infinity,
  rotations80: 0.01,
  rotations320: 0.01,
  year80: 0.01,
  year320: 0.01,
  year1000: Infinity,
};

/** Issue 14's whole-schedule comparison of the mechanisms, from the engine's metrics (ADR 0038). */
interface WholeSchedule {
  studentsAtFirstChoice: number;
  worstStudentTotal: number | null;
  hospitalChanges: number;
  idleBlocks: number;
}

interface Row {
  instance: string;
  mechanism: string;
  status: string;
  seconds: number;
  gap: string;
  first: string;
  worst: string;
  total: string;
  unplaced: string;
  /** Whole-schedule figures: worst student's total rank / hospital changes / idle blocks. */
  schedule: string;
  /** The same, with students all at their first choice, as numbers (null: no allocation). */
  whole: WholeSchedule | null;
  valid: string;
}

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

function row(instance: string, input: AllocationInput, v: AllocationResult): Row {
  const problems = checkAllocation(input, v);
  if (v.status === 'INFEASIBLE' || v.status === 'TIMED_OUT') {
    return {
      instance,
      mechanism: v.mechanism,
      status: v.status,
      seconds: 'solver' in v ? v.solver.seconds : 0,
      gap: '–',
      first: '–',
      worst: '–',
      total: '–',
      unplaced: '–',
      schedule: '–',
      whole: null,
      valid: v.reasons[0]?.message.slice(0, 60) ?? '',
    };
  }
  const m = v.metrics;
  const firsts = m.rankDistribution[1] ?? 0;
  return {
    instance,
    mechanism: v.mechanism,
    status: v.status,
    seconds: v.solver.seconds,
    gap: v.mechanism === 'OPTIMAL' ? (v.solver.gap === null ? 'unknown' : pct(v.solver.gap)) : '–',
    first: `${firsts} (${pct(m.firstChoiceShare)}); students ${m.studentsAtFirstChoice} (${pct(m.studentFirstChoiceShare)})`,
    worst: `${m.worstRank ?? '–'} / ${m.worstRankBeyondFloor ?? '–'}`,
    total: String(m.totalRank),
    unplaced: String(m.unplacedStudents),
    schedule: `${m.schedule.worstStudentTotalRank ?? '–'} / ${m.schedule.hospitalChanges} / ${m.schedule.idleBlocks}`,
    whole: {
      studentsAtFirstChoice: m.studentsAtFirstChoice,
      worstStudentTotal: m.schedule.worstStudentTotalRank,
      hospitalChanges: m.schedule.hospitalChanges,
      idleBlocks: m.schedule.idleBlocks,
    },
    valid: problems.length ? `INVALID: ${problems[0]}` : 'yes',
  };
}

async function main(): Promise<void> {
  const sizes = args.sizes.split(',').map((s) => s.trim());
  const capacities = args.capacity.split(',').map((c) => c.trim());
  const rows: Row[] = [];
  const verdicts: string[] = [];
  const cases: { name: string; size: string; input: AllocationInput }[] = [];
  for (const size of sizes) {
    const family = /^([a-z]+)(\d*)$/.exec(size);
    if (size === 'mss') cases.push({ name: 'mss 80×12×5×12', size, input: mssInstance(args.seed) });
    else if (size === 'away')
      // 30 % of students away one block: the same instance with availability, then with a bar per hospital and block.
      for (const as of ['availability', 'bars'] as const)
        cases.push({
          name: `away 200 tight ${as}`,
          size,
          input: generateInstance({ students: 200, capacity: CAPACITY.tight!, seed: args.seed, absences: { share: 0.3, as } }),
        });
    else if (family && FAMILIES[family[1]!]) {
      // One family of issue 14's features (allocation-instances.ts); "features" alone: 80 and 320.
      const [, name, n] = family as unknown as [string, string, string];
      for (const students of n ? [Number(n)] : [80, 320]) {
        const blocks = FAMILIES[name]!.blocks;
        cases.push({
          name: `${name} ${students}${blocks ? `×${blocks}` : ''} tight`,
          size: `${name}${students}`,
          input: familyInstance(name, students, args.seed),
        });
      }
    } else
      for (const c of capacities)
        cases.push({
          name: `${size} ${c}`,
          size,
          input: generateInstance({ students: Number(size), capacity: CAPACITY[c]!, seed: args.seed }),
        });
  }
  const warmUpSeconds = Number(args['warm-up']);
  if (warmUpSeconds > 0) {
    const cpuStarted = process.cpuUsage();
    const warm = await warmUpSolver(warmUpSeconds);
    const cpuUsed = process.cpuUsage(cpuStarted);
    console.log(
      `HiGHS warm-up (once per process, not in any run's wall): ${warm.seconds.toFixed(1)} s, CPU ${((cpuUsed.user + cpuUsed.system) / 1e6).toFixed(1)} s, ${warm.solves} solves`,
    );
  } else console.log('HiGHS warm-up: none (a cold process)');
  for (const { name, size, input } of cases) {
    const target = LIMIT[size] ?? 300;
    const limit = args.limit ? Number(args.limit) : target;
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    // OPTIMAL's wall is the time until its result, checks included: on a large instance it runs
    // before the lottery draw (ADR 0073), elsewhere after it, from it.
    let optimalWall = NaN;
    const out = await runVariations(input, {
      seed: args.seed,
      timeLimitSeconds: limit,
      onVariation: (v) => {
        if (v.mechanism === 'OPTIMAL') optimalWall = (performance.now() - started) / 1000;
      },
    });
    const wall = (performance.now() - started) / 1000;
    // CPU seconds of the whole run: on the shared machine the wall clock mostly measures the
    // load, and the CPU time is what an idle 2-core machine would come close to.
    const cpuUsed = process.cpuUsage(cpuStarted);
    const cpu = (cpuUsed.user + cpuUsed.system) / 1e6;
    const [optimal, lottery] = out.variations as [AllocationResult, AllocationResult];
    const r = [row(name, input, optimal), row(name, input, lottery)];
    rows.push(...r);
    console.log(
      `${name.padEnd(16)} OPTIMAL ${r[0]!.status} ${r[0]!.seconds.toFixed(1)} s gap ${r[0]!.gap}, first ${r[0]!.first}, worst ${r[0]!.worst} | ` +
        `LOTTERY first ${r[1]!.first}, worst ${r[1]!.worst}, unplaced ${r[1]!.unplaced} | OPTIMAL's result after ${optimalWall.toFixed(1)} s, run wall ${wall.toFixed(1)} s, CPU ${cpu.toFixed(1)} s`,
    );
    if (args.notes && 'solver' in optimal) console.log(`  ${optimal.solver.notes.join('\n  ')}`);
    // An allocation the independent validator rejects never meets a target, however fast.
    const invalid = [optimal, lottery].flatMap((v) => checkAllocation(input, v).map((p) => `${v.mechanism} invalid: ${p}`));
    if (optimal.status === 'OPTIMAL' || optimal.status === 'FEASIBLE') {
      const checks = [
        ...invalid.slice(0, 3),
        optimalWall <= target + 1 ? null : `OPTIMAL took ${optimalWall.toFixed(1)} s > ${target} s`,
        (optimal.solver.gap ?? Infinity) <= (MAX_GAP[size] ?? Infinity)
          ? null
          : `gap ${optimal.solver.gap === null ? 'unknown' : pct(optimal.solver.gap)}`,
      ];
      if (lottery.status !== 'INFEASIBLE' && lottery.status !== 'TIMED_OUT') {
        const oFirst = optimal.metrics.rankDistribution[1] ?? 0;
        const lFirst = lottery.metrics.rankDistribution[1] ?? 0;
        checks.push(oFirst >= lFirst ? null : `fewer first choices than LOTTERY (${oFirst} < ${lFirst})`);
        // A partial lottery's worst rank leaves out the students it could not place.
        const complete = lottery.status === 'FEASIBLE';
        checks.push(
          !complete || (optimal.metrics.worstRank ?? 0) <= (lottery.metrics.worstRank ?? 0) ? null : 'worse worst rank than LOTTERY',
        );
        checks.push(
          !complete || (optimal.metrics.worstRankBeyondFloor ?? 0) <= (lottery.metrics.worstRankBeyondFloor ?? 0)
            ? null
            : 'worse worst rank above floors than LOTTERY',
        );
      }
      const failed = checks.filter(Boolean);
      verdicts.push(`${name}: ${failed.length ? `MISSED (${failed.join('; ')})` : 'target met'}`);
    } else {
      verdicts.push(`${name}: MISSED (${optimal.status})`);
    }
  }
  console.log(
    '\n| instance | mechanism | status | solve s | gap | first choices (placements; students all at 1st) | worst rank (all / above floor) | total rank | unplaced | worst student total / hospital changes / idle blocks | valid |',
  );
  console.log('| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
  for (const r of rows) {
    console.log(
      `| ${r.instance} | ${r.mechanism} | ${r.status} | ${r.seconds.toFixed(1)} | ${r.gap} | ${r.first} | ${r.worst} | ${r.total} | ${r.unplaced} | ${r.schedule} | ${r.valid} |`,
    );
  }
  console.log('\nWhole schedules, OPTIMAL vs LOTTERY (issue 14; after the polish, ADR 0038):\n');
  console.log("| instance | students all at 1st choice | worst student's total rank | hospital changes | idle blocks |");
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (let i = 0; i + 1 < rows.length; i += 2) {
    const [o, l] = [rows[i]!.whole, rows[i + 1]!.whole];
    const pair = (f: (w: WholeSchedule) => number | null) => `${o ? (f(o) ?? '–') : '–'} vs ${l ? (f(l) ?? '–') : '–'}`;
    console.log(
      `| ${rows[i]!.instance} | ${pair((w) => w.studentsAtFirstChoice)} | ${pair((w) => w.worstStudentTotal)} | ${pair((w) => w.hospitalChanges)} | ${pair((w) => w.idleBlocks)} |`,
    );
  }
  console.log(`\n${verdicts.join('\n')}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
