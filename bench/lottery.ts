/**
 * The lottery alone (random serial dictatorship with the rotation planner, ADR 0027/0034/0040) on
 * the issue #14 year instances: its CPU and wall seconds, what it placed, and whether its draw is
 * the same as a saved one (to compare the draws before and after a change of the planner).
 *
 *   pnpm exec tsx bench/lottery.ts --sizes year80,year320            # the 24-block year, 80 and 320 students
 *   pnpm exec tsx bench/lottery.ts --sizes year80 --save /tmp/a.json # keep the draw
 *   pnpm exec tsx bench/lottery.ts --sizes year80 --compare /tmp/a.json
 *   pnpm exec tsx bench/lottery.ts --sizes year80 --full-redraw      # staffing redraws from the first turn (the old rule)
 *   pnpm exec tsx bench/lottery.ts --sizes year1000 --no-completion  # the draw as it ends, without the completion (ADR 0054)
 *   node --import tsx --cpu-prof bench/lottery.ts --sizes year80     # profile it
 *   pnpm exec tsx bench/lottery.ts --sizes year320 --trace --max-cpu 300
 *       # CPU seconds every 100 turns and at each staffing redraw; give up after 300 CPU s
 *
 * Instances are the ones `pnpm bench:allocation --sizes yearN` builds (same generator options and
 * seed), and the draw uses the seed the bench's LOTTERY variation uses, so the figures are the
 * lottery part of that bench. Print `uptime` with the figures: the machine is shared.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { buildInstance, canonicalizeInput, parseAllocationInput, runLottery } from '@medcollab/allocation';
import { generateInstance } from './allocation-instances';

const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: 'year80' },
    seed: { type: 'string', default: 'medcollab-2026' },
    save: { type: 'string' },
    compare: { type: 'string' },
    'full-redraw': { type: 'boolean', default: false },
    'no-completion': { type: 'boolean', default: false },
    trace: { type: 'boolean', default: false },
    'max-cpu': { type: 'string' },
  },
});

interface Draw {
  picks: [number, number][];
  unplaced: [number, string][];
  order: number[];
}

function instanceOf(size: string) {
  const n = Number(size.slice('year'.length));
  if (!size.startsWith('year') || !Number.isInteger(n)) throw new Error(`unknown size ${size} (year80, year320, year1000)`);
  return generateInstance({
    students: n,
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
}

/** Students whose picks or unplaced reason differ between two draws, and the first such turn. */
function differences(a: Draw, b: Draw): { students: number; firstTurn: number | null } {
  const key = (d: Draw) => {
    const m = new Map<number, string>();
    for (const [s, site] of [...d.picks].sort((x, y) => x[0] - y[0] || x[1] - y[1])) m.set(s, `${m.get(s) ?? ''},${site}`);
    for (const [s, reason] of d.unplaced) m.set(s, `unplaced: ${reason}`);
    return m;
  };
  const ka = key(a);
  const kb = key(b);
  const differ = new Set([...ka.keys(), ...kb.keys()].filter((s) => ka.get(s) !== kb.get(s)));
  const turns = a.order.map((s, i) => (differ.has(s) ? i : -1)).filter((i) => i !== -1);
  return { students: differ.size, firstTurn: turns.length ? turns[0]! : null };
}

const cpuSeconds = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
};

/**
 * The lottery reports its progress every 100 turns (and starts again at 0 on each staffing
 * redraw): with --trace, each report is printed with the CPU seconds so far; with --max-cpu, the
 * next report after that many CPU seconds stops the draw.
 */
function watcher(size: string, cpuStarted: NodeJS.CpuUsage, students: number): Parameters<typeof runLottery>[2] {
  if (!args.trace && !args['max-cpu']) return undefined;
  const limit = args['max-cpu'] ? Number(args['max-cpu']) : Infinity;
  const started = performance.now();
  let round = 1;
  let last = 0;
  return {
    relGap: 0,
    strategy: 'AUTO',
    remaining: () => Infinity,
    elapsed: () => (performance.now() - started) / 1000,
    progress(fraction) {
      if (fraction < last) round++;
      last = fraction;
      if (args.trace)
        console.log(
          `${size}: draw ${round}, ${Math.round((fraction / 0.05) * students)} turns, CPU ${cpuSeconds(cpuStarted).toFixed(1)} s`,
        );
    },
    async checkpoint() {
      if (cpuSeconds(cpuStarted) > limit) throw new Error(`${size}: stopped after ${limit} CPU s (draw ${round})`);
      await Promise.resolve();
    },
    aborted: () => false,
  };
}

async function main(): Promise<void> {
  const saved: Record<string, Draw> = args.compare ? (JSON.parse(readFileSync(args.compare, 'utf8')) as Record<string, Draw>) : {};
  const out: Record<string, Draw> = {};
  for (const size of args.sizes.split(',')) {
    const inst = buildInstance(canonicalizeInput(parseAllocationInput(instanceOf(size))));
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    const ctx = watcher(size, cpuStarted, inst.students.length);
    const draw = await runLottery(inst, args.seed, ctx, { fullRedraw: args['full-redraw'], complete: !args['no-completion'] });
    const wall = (performance.now() - started) / 1000;
    const cpu = cpuSeconds(cpuStarted);
    const total = draw.picks.reduce((t, p) => t + inst.rankOf(p.student, inst.sites[p.site]!), 0);
    const d: Draw = {
      picks: draw.picks.map((p) => [p.student, p.site]),
      unplaced: draw.unplaced.map((u) => [u.student, u.reason]),
      order: draw.order,
    };
    out[size] = d;
    const same = saved[size] ? differences(saved[size], d) : null;
    console.log(
      `${size}: lottery CPU ${cpu.toFixed(1)} s, wall ${wall.toFixed(1)} s | placed ${inst.students.length - draw.unplaced.length}, ` +
        `unplaced ${draw.unplaced.length}, total rank ${total}, closed by the draw ${draw.closedByDraw?.size ?? 0}` +
        (draw.completion ? `, completion placed ${draw.completion.placed.length} and moved ${draw.completion.moved.length}` : '') +
        (same ? ` | against ${args.compare}: ${same.students} students differ, first at turn ${same.firstTurn ?? '–'}` : ''),
    );
    for (const u of draw.unplaced)
      console.log(`${size}:   unplaced ${inst.students[u.student]!.id} (turn ${draw.turn[u.student]}): ${u.reason}`);
    // Saved after every size, so a long run's first draws are kept even if a later one is stopped.
    if (args.save) writeFileSync(args.save, JSON.stringify(out));
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
