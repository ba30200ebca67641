import { type AllocationResult, keepAllocationThreadWarm, type ProgressDetail, runVariationsInThread } from '@medcollab/allocation';
import { type Logger } from '@medcollab/kit';
import { startLoop, type Loop } from '@medcollab/events';
import { type DataSource } from 'typeorm';
import { type SolveMetric } from './metrics';

/**
 * The worker side of allocation runs. Runs are claimed from PostgreSQL with
 * `FOR UPDATE SKIP LOCKED` (several workers never take the same run) and solved in this
 * process; a heartbeat column is the lease: a run whose worker died (no heartbeat for
 * `leaseMs`) is claimed again, which is what BullMQ's job lock and stalled-job check would
 * give, without a second store that could disagree with the run's row. Requests only insert
 * QUEUED rows; no solver work and no Redis call happens in a request.
 */

export interface ProcessorOptions {
  /** How often the running solve writes progress and heartbeat, and looks for a cancellation. */
  pollMs?: number;
  /** A RUNNING run without a heartbeat for this long is taken over by another worker. */
  leaseMs?: number;
  log?: Logger;
  /** Aborted when the worker shuts down: the run goes back to QUEUED for another worker. */
  shutdown?: AbortSignal;
  /** Records solve times (`medcollab_allocation_solve_seconds`, the worker's /metrics). */
  solveMetric?: SolveMetric;
}

export interface ClaimedRun {
  id: string;
  seed: string;
  input: unknown;
  options: {
    timeLimitSeconds: number | null;
    mipRelGap: number | null;
    /** Absent on runs stored before the whole-schedule polish could be weighted (the engine's defaults apply). */
    scheduleWeights?: { hospitalChange: number; idleBlock: number } | null;
    /** Absent on runs stored before it could be asked for (false). */
    placeOthersWhenInfeasible?: boolean;
  };
}

const DEFAULT_POLL_MS = 500;
const DEFAULT_LEASE_MS = 60_000;
/**
 * The solve runs in a worker thread (docs/adr/0014-allocation-solve-in-a-worker-thread.md), so
 * the heartbeat is written every `pollMs` during a solve too: a run is taken over when its
 * heartbeat is older than the lease, whatever its time limit.
 */
const LEASE_SQL = `make_interval(secs => $1)`;

/** Takes the oldest QUEUED run (or one whose worker stopped beating) and marks it RUNNING. */
export async function claimAllocationRun(ds: DataSource, opts: ProcessorOptions = {}): Promise<ClaimedRun | null> {
  const leaseMs = opts.leaseMs ?? DEFAULT_LEASE_MS;
  return ds.transaction(async (em) => {
    // A cancellation whose worker died can only end one way.
    await em.query(
      `UPDATE allocation_run SET status = 'CANCELLED', finished_at = now() WHERE status = 'CANCELLING' AND heartbeat_at < now() - ${LEASE_SQL}`,
      [leaseMs / 1000],
    );
    const [row] = (await em.query(
      `SELECT id, seed, input, options FROM allocation_run
        WHERE status = 'QUEUED' OR (status = 'RUNNING' AND heartbeat_at < now() - ${LEASE_SQL})
        ORDER BY created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED`,
      [leaseMs / 1000],
    )) as ClaimedRun[];
    if (!row) return null;
    await em.query(
      `UPDATE allocation_run SET status = 'RUNNING', progress = 0, progress_phase = NULL, progress_detail = NULL, started_at = now(), heartbeat_at = now() WHERE id = $1`,
      [row.id],
    );
    return row;
  });
}

const solvedStatuses = new Set(['OPTIMAL', 'FEASIBLE', 'PARTIAL']);

/**
 * How a finished solve was settled: its results stored, the run cancelled meanwhile (a
 * coordinator's cancel that arrived after the solve's last abort check: no results kept), or the
 * run taken over or settled elsewhere.
 */
export type Settled = 'stored' | 'cancelled' | 'elsewhere';

/** Stores every variation and the run's end state in one transaction (unless it was cancelled meanwhile). */
export async function storeResults(ds: DataSource, runId: string, variations: AllocationResult[]): Promise<Settled> {
  return ds.transaction(async (em) => {
    const [run] = (await em.query(`SELECT status FROM allocation_run WHERE id = $1 FOR UPDATE`, [runId])) as { status: string }[];
    if (run?.status === 'CANCELLING') {
      await em.query(`UPDATE allocation_run SET status = 'CANCELLED', finished_at = now() WHERE id = $1`, [runId]);
      return 'cancelled';
    }
    if (run?.status !== 'RUNNING') return 'elsewhere';
    for (const v of variations) {
      const stored =
        v.status === 'INFEASIBLE' || v.status === 'TIMED_OUT'
          ? { metrics: null, assignments: [], explanations: [], reasons: v.reasons }
          : {
              // The solver's report travels with the metrics: a coordinator must see whether the
              // optimum is proven (gap 0) or the time limit cut the search short.
              metrics: {
                ...v.metrics,
                optimalityGap: v.status === 'OPTIMAL' ? 0 : v.solver.gap,
                timeLimitReached: v.solver.timeLimitReached,
                solveSeconds: v.solver.seconds,
              },
              assignments: v.assignments,
              explanations: v.explanations,
              reasons: [
                // OPTIMAL asked to place the others: the conflicting sets whose students it left out.
                ...(v.leftOut ?? []),
                ...v.unplaced.map((u) => ({ kind: 'UNPLACED', message: u.reason, studentIds: [u.studentId] })),
                // Departments left empty because their minimum staffing could not be met.
                ...(v.understaffed ?? []).map((u) => ({
                  kind: 'UNDERSTAFFED',
                  message: u.message,
                  departmentId: u.departmentId,
                  blockId: u.blockId,
                })),
              ],
            };
      await em.query(
        `INSERT INTO allocation_variation (run_id, mechanism, status, seed, metrics, assignments, explanations, reasons)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (run_id, mechanism) DO NOTHING`,
        [
          runId,
          v.mechanism,
          v.status,
          v.seed ?? null,
          stored.metrics ? JSON.stringify(stored.metrics) : null,
          JSON.stringify(stored.assignments),
          JSON.stringify(stored.explanations),
          JSON.stringify(stored.reasons),
        ],
      );
    }
    const anySolved = variations.some((v) => solvedStatuses.has(v.status));
    const reasons = variations.flatMap((v) => (v.status === 'INFEASIBLE' || v.status === 'TIMED_OUT' ? [v.reasons] : []))[0] ?? [];
    await em.query(
      `UPDATE allocation_run SET status = $2, progress = 1, progress_phase = 'done', finished_at = now(), infeasibility = $3 WHERE id = $1`,
      [runId, anySolved ? 'SUCCEEDED' : 'INFEASIBLE', anySolved ? null : JSON.stringify({ reasons })],
    );
    return 'stored';
  });
}

/** Solves a claimed run: progress and heartbeat while it runs, an abort when a coordinator cancels it. */
export async function executeAllocationRun(ds: DataSource, run: ClaimedRun, opts: ProcessorOptions = {}): Promise<void> {
  const controller = new AbortController();
  const onShutdown = () => controller.abort(new Error('worker shutting down'));
  opts.shutdown?.addEventListener('abort', onShutdown, { once: true });
  if (opts.shutdown?.aborted) onShutdown();
  const started = performance.now();
  const runSeconds = () => (performance.now() - started) / 1000;
  let progress = 0;
  let phase: string | null = null;
  let detail: ProgressDetail | null = null;
  const beat = async () => {
    const raw = (await ds.query(
      `UPDATE allocation_run SET heartbeat_at = now(), progress = $2, progress_phase = $3, progress_detail = $4 WHERE id = $1 RETURNING status`,
      [run.id, progress, phase, detail ? JSON.stringify(detail) : null],
    )) as unknown[];
    // UPDATE … RETURNING comes back as [rows, rowCount].
    const rows = (Array.isArray(raw[0]) ? raw[0] : raw) as { status: string }[];
    const status = rows[0]?.status;
    if (status !== 'RUNNING') controller.abort(new Error(`run ${status ?? 'deleted'}`));
  };
  const timer = setInterval(
    () => void beat().catch((error: unknown) => opts.log?.warn({ err: error, runId: run.id }, 'allocation heartbeat failed')),
    opts.pollMs ?? DEFAULT_POLL_MS,
  );
  try {
    await beat(); // a run cancelled between claim and start never solves
    const result = await runVariationsInThread(run.input, {
      seed: run.seed,
      mechanisms: ['OPTIMAL', 'LOTTERY'],
      ...(run.options.timeLimitSeconds ? { timeLimitSeconds: run.options.timeLimitSeconds } : {}),
      ...(run.options.mipRelGap !== null && run.options.mipRelGap !== undefined ? { mipRelGap: run.options.mipRelGap } : {}),
      ...(run.options.scheduleWeights ? { scheduleWeights: run.options.scheduleWeights } : {}),
      ...(run.options.placeOthersWhenInfeasible ? { placeOthersWhenInfeasible: true } : {}),
      onProgress: (p) => {
        progress = p.fraction;
        phase = p.phase;
        // The solver's figures stay until the next solve reports its own.
        if (p.detail) detail = p.detail;
        else if (p.phase !== 'optimal') detail = null;
      },
      signal: controller.signal,
    });
    clearInterval(timer);
    opts.shutdown?.removeEventListener('abort', onShutdown);
    const settled = await storeResults(ds, run.id, result.variations);
    // A run cancelled after its solve ended keeps no results: it counts as a cancelled run.
    if (settled === 'stored') opts.solveMetric?.variations(result.variations, runSeconds());
    else if (settled === 'cancelled') opts.solveMetric?.ended('cancelled', runSeconds());
  } catch (error) {
    clearInterval(timer);
    opts.shutdown?.removeEventListener('abort', onShutdown);
    if (controller.signal.aborted && opts.shutdown?.aborted) {
      // Not the coordinator's doing: hand the run back (a CANCELLING one is settled by the claim sweep or the next worker).
      await ds.query(
        `UPDATE allocation_run SET status = 'QUEUED', progress = 0, started_at = NULL, heartbeat_at = NULL WHERE id = $1 AND status = 'RUNNING'`,
        [run.id],
      );
      await ds.query(`UPDATE allocation_run SET status = 'CANCELLED', finished_at = now() WHERE id = $1 AND status = 'CANCELLING'`, [
        run.id,
      ]);
      opts.solveMetric?.ended('handed_back', runSeconds());
      return;
    }
    if (controller.signal.aborted) {
      await ds.query(
        `UPDATE allocation_run SET status = 'CANCELLED', finished_at = now() WHERE id = $1 AND status IN ('RUNNING', 'CANCELLING')`,
        [run.id],
      );
      opts.solveMetric?.ended('cancelled', runSeconds());
      return;
    }
    opts.solveMetric?.ended('failed', runSeconds());
    opts.log?.error({ err: error, runId: run.id }, 'allocation run failed');
    // A malformed snapshot or an engine bug: retrying would fail the same way.
    await ds.query(
      `UPDATE allocation_run SET status = 'FAILED', error = $2, finished_at = now() WHERE id = $1 AND status IN ('RUNNING', 'CANCELLING')`,
      [run.id, error instanceof Error ? error.message : String(error)],
    );
  }
}

/** One pass of the loop: true when a run was processed (there may be more). */
export async function processNextAllocationRun(ds: DataSource, opts: ProcessorOptions = {}): Promise<boolean> {
  const run = await claimAllocationRun(ds, opts);
  if (!run) return false;
  await executeAllocationRun(ds, run, opts);
  return true;
}

/**
 * The worker's `allocation` loop. Stopping it aborts a solve in progress (the run is queued again).
 * The worker is long-lived: its allocation thread is started and HiGHS warmed up in it before the
 * first run, and kept from run to run (ADR 0068), so no run pays for compiling and tiering up HiGHS.
 */
export function startAllocationLoop(ds: DataSource, log: Logger, opts: ProcessorOptions & { intervalMs?: number } = {}): Loop {
  const shutdown = new AbortController();
  const warm = keepAllocationThreadWarm();
  warm.warm.then(
    (w) => log.info({ seconds: Number(w.seconds.toFixed(2)), solves: w.solves, interrupted: w.interrupted }, 'allocation thread warmed up'),
    (error: unknown) => log.warn({ err: error }, 'allocation thread warm-up failed; runs start their own thread'),
  );
  const loop = startLoop({
    name: 'allocation',
    log,
    intervalMs: opts.intervalMs ?? 1_000,
    run: () =>
      shutdown.signal.aborted ? Promise.resolve(false) : processNextAllocationRun(ds, { ...opts, log, shutdown: shutdown.signal }),
  });
  return {
    wake: () => loop.wake(),
    stop: async () => {
      shutdown.abort();
      await loop.stop();
      await warm.stop();
    },
  };
}
