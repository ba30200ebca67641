import { type AllocationResult } from '@medcollab/allocation';
import { Histogram, type Registry } from 'prom-client';

/**
 * `medcollab_allocation_solve_seconds{method,outcome}` on the rotations worker's /metrics
 * (docs/operations.md). One observation per variation a run computed — method `optimal` or
 * `lottery`, outcome the variation's status (`optimal`, `feasible`, `partial`, `infeasible`,
 * `timed_out`), the engine's own solve time (the whole run's when the engine reports none, as for
 * an infeasibility found by the checks) — and one per run that ended without results: method
 * `run`, outcome `cancelled`, `failed` or `handed_back` (the worker stopped). No label carries an id.
 */

/** 50 ms … 10 min: a small school's run to a 1,000-student year at the time limit. */
const SOLVE_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

export interface SolveMetric {
  variations(results: readonly AllocationResult[], runSeconds: number): void;
  ended(outcome: 'cancelled' | 'failed' | 'handed_back', runSeconds: number): void;
}

export function allocationSolveMetric(registry: Registry): SolveMetric {
  const histogram = new Histogram({
    name: 'medcollab_allocation_solve_seconds',
    help: 'Allocation solve time per variation (method, outcome), and of runs that ended without results (method run)',
    labelNames: ['method', 'outcome'],
    buckets: SOLVE_BUCKETS,
    registers: [registry],
  });
  return {
    variations(results, runSeconds) {
      for (const v of results) {
        const seconds = 'solver' in v && v.solver ? v.solver.seconds : runSeconds;
        histogram.observe({ method: v.mechanism.toLowerCase(), outcome: v.status.toLowerCase() }, seconds);
      }
    },
    ended(outcome, runSeconds) {
      histogram.observe({ method: 'run', outcome }, runSeconds);
    },
  };
}
