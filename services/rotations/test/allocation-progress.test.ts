import { randomUUID } from 'node:crypto';
import { allocate, canonicalizeInput, hashAllocationInput, type AllocationInput } from '@medcollab/allocation';
import { Registry } from 'prom-client';
import { allocationSolveMetric } from '../src/allocation/metrics';
import { processNextAllocationRun, storeResults } from '../src/allocation/processor';
import { buildWorld, type World } from './support/fixtures';
import { ok, type RotationsHarness, startRotations } from './support/harness';

/**
 * The solve runs in a worker thread: while it runs, the worker keeps beating and writing the
 * solver's progress, and this very process (whose event loop would be held by an in-thread
 * HiGHS solve) keeps answering GraphQL reads of the run and its cancellation.
 */

const RUN = `query($id: ID!) { allocationRun(id: $id) { status progress
  progressDetail { phase incumbentTotalRank gap worstRank heartbeatAt } } }`;
const CANCEL = `mutation($id: ID!) { cancelAllocationRun(id: $id) { id status } }`;

interface Seen {
  status: string;
  progress: number;
  progressDetail: {
    phase: string;
    incumbentTotalRank: number | null;
    gap: number | null;
    worstRank: number | null;
    heartbeatAt: string;
  } | null;
}

let h: RotationsHarness;
let w: World;
// The worker's /metrics registry, as src/worker.ts gives the allocation task.
const registry = new Registry();
const solveMetric = allocationSolveMetric(registry);
const countOf = async (method: string, outcome: string) =>
  (await registry.getSingleMetric('medcollab_allocation_solve_seconds')!.get()).values.find(
    (v) =>
      (v as { metricName?: string }).metricName === 'medcollab_allocation_solve_seconds_count' &&
      v.labels.method === method &&
      v.labels.outcome === outcome,
  )?.value ?? 0;

beforeAll(async () => {
  h = await startRotations();
  w = await buildWorld(h);
});
afterAll(() => h.stop());

/** 360 students crowding the same favourites over four blocks: an integer program that takes seconds even on an idle machine. */
function crowdedInstance(schoolId: string): AllocationInput {
  const blocks = ['b1', 'b2', 'b3', 'b4'];
  const departments = ['XA', 'XB', 'XC', 'YA', 'YB', 'YC'];
  const ids = Array.from({ length: 360 }, (_, i) => `s${i}`);
  return canonicalizeInput({
    blocks: blocks.map((id) => ({ id })),
    students: ids.map((id) => ({
      id,
      schoolId,
      requirement: {
        blocksToFill: 2,
        specialties: [
          { specialty: 'X', minBlocks: 1 },
          { specialty: 'Y', minBlocks: 1 },
        ],
        electiveMaxBlocks: 0,
      },
    })),
    sites: departments.flatMap((d) =>
      blocks.map((b) => ({ departmentId: d, hospitalId: `H-${d}`, specialty: d[0]!, blockId: b, seats: 33 })),
    ),
    preferences: ids.flatMap((studentId, i) =>
      departments.map((departmentId, j) => ({ studentId, departmentId, rank: 1 + ((i * 7 + j * ((i % 5) + 1)) % 6) })),
    ),
  });
}

async function queueRun(): Promise<string> {
  const id = randomUUID();
  const input = crowdedInstance(w.schoolA);
  await h.dataSource.query(
    `INSERT INTO allocation_run (id, school_id, block_ids, mechanism, seed, options, status, input, input_hash, requested_by)
     VALUES ($1, $2, '{}', 'OPTIMAL', 'progress', $3, 'QUEUED', $4, $5, $6)`,
    [
      id,
      w.schoolA,
      JSON.stringify({ timeLimitSeconds: 60, mipRelGap: 0 }),
      JSON.stringify(input),
      hashAllocationInput(input),
      randomUUID(),
    ],
  );
  return id;
}

/** Reads the run through GraphQL until `done` resolves, handing each reading to `onRead`. */
async function watch(id: string, done: Promise<unknown>, onRead: (seen: Seen) => Promise<void> = async () => {}): Promise<Seen[]> {
  let finished = false;
  void done.finally(() => (finished = true));
  const seen: Seen[] = [];
  while (!finished) {
    const run = ok(await h.call(w.coordinatorA, RUN, { id })).allocationRun as Seen;
    seen.push(run);
    await onRead(run);
    await new Promise((r) => setTimeout(r, 25));
  }
  await done;
  return seen;
}

describe('allocation progress during a solve', () => {
  it('keeps beating and shows the phase and the solver’s figures through GraphQL while OPTIMAL solves', async () => {
    const id = await queueRun();
    const seen = await watch(id, processNextAllocationRun(h.dataSource, { pollMs: 20, solveMetric }));
    const running = seen.filter((s) => s.status === 'RUNNING' && s.progressDetail);
    const solving = running.filter((s) => s.progressDetail!.phase === 'optimal');
    // Readings answered while the worker thread solves (the warm start, then the integer program),
    // with the heartbeat moving between them; how long the integer program alone lasts depends on
    // the solver (ADR 0041 made this one short), so the beat is read over the whole solve.
    expect(new Set(running.map((s) => s.progressDetail!.heartbeatAt)).size).toBeGreaterThanOrEqual(2);
    expect(solving.length).toBeGreaterThan(0);
    expect(solving.some((s) => s.progress > 0.05)).toBe(true);
    for (const s of solving) {
      expect(s.progressDetail!.worstRank).toEqual(expect.any(Number));
      if (s.progressDetail!.incumbentTotalRank !== null) expect(s.progressDetail!.gap).toBeGreaterThanOrEqual(0);
    }
    const fractions = seen.map((s) => s.progress);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    const end = ok(await h.call(w.coordinatorA, RUN, { id })).allocationRun as Seen;
    expect(end).toMatchObject({ status: 'SUCCEEDED', progress: 1, progressDetail: { phase: 'done' } });
    // One solve-time observation per variation, labelled by method and outcome only.
    expect(await countOf('optimal', 'optimal')).toBe(1);
    expect(await countOf('lottery', 'feasible')).toBe(1);
    expect(await registry.metrics()).not.toContain(id);
  });

  it('cancels a run in the middle of its integer program', async () => {
    const id = await queueRun();
    let cancelled = false;
    await watch(id, processNextAllocationRun(h.dataSource, { pollMs: 20, solveMetric }), async (s) => {
      if (!cancelled && s.progressDetail?.phase === 'optimal') {
        cancelled = true;
        expect(ok(await h.call(w.coordinatorA, CANCEL, { id })).cancelAllocationRun.status).toBe('CANCELLING');
      }
    });
    expect(cancelled).toBe(true);
    expect((ok(await h.call(w.coordinatorA, RUN, { id })).allocationRun as Seen).status).toBe('CANCELLED');
    expect(await h.dataSource.query(`SELECT mechanism FROM allocation_variation WHERE run_id = $1`, [id])).toEqual([]);
    expect(await countOf('run', 'cancelled')).toBe(1);
  });

  it('settles a run cancelled after its solve ended as cancelled, keeping none of its results', async () => {
    // The solve's last abort check can come before the coordinator's cancel: the results are then
    // dropped, and the worker counts the run as cancelled (not as solved variations).
    const id = await queueRun();
    await h.dataSource.query(`UPDATE allocation_run SET status = 'CANCELLING' WHERE id = $1`, [id]);
    const tiny = canonicalizeInput({
      blocks: [{ id: 'b1' }],
      students: [
        {
          id: 's1',
          schoolId: w.schoolA,
          requirement: { blocksToFill: 1, specialties: [{ specialty: 'X', minBlocks: 1 }], electiveMaxBlocks: 0 },
        },
      ],
      sites: [{ departmentId: 'XA', hospitalId: 'H-XA', specialty: 'X', blockId: 'b1', seats: 1 }],
      preferences: [{ studentId: 's1', departmentId: 'XA', rank: 1 }],
    });
    const solved = await allocate(tiny, 'LOTTERY', { seed: 'late cancel' });
    expect(await storeResults(h.dataSource, id, [solved])).toBe('cancelled');
    const [run] = (await h.dataSource.query(`SELECT status FROM allocation_run WHERE id = $1`, [id])) as { status: string }[];
    expect(run!.status).toBe('CANCELLED');
    expect(await h.dataSource.query(`SELECT mechanism FROM allocation_variation WHERE run_id = $1`, [id])).toEqual([]);
    // Settled once: a second store changes nothing.
    expect(await storeResults(h.dataSource, id, [solved])).toBe('elsewhere');
    expect(await h.dataSource.query(`SELECT mechanism FROM allocation_variation WHERE run_id = $1`, [id])).toEqual([]);
  });
});
