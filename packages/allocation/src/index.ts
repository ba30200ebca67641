/**
 * @medcollab/allocation: rotation allocation engine (OPTIMAL integer program with HiGHS, LOTTERY
 * random serial dictatorship). Pure: a snapshot in, results out; no database or queue I/O.
 * See docs/adr/0004-allocation-model.md.
 */
export * from './types';
export { allocate, lotterySeeds, runVariations } from './run';
export { keepAllocationThreadWarm, runVariationsInThread, type ThreadProgress, type WarmThread } from './thread';
// HiGHS warmed up once per process before its first run (ADR 0068); bench/allocation.ts does what the thread does.
export { WARM_UP_SECONDS, type WarmUp, warmUpSolver } from './solver/warm-up';
export { AllocationInputError, allocationInputSchema, parseAllocationInput } from './schema';
export { canonicalizeInput, hashAllocationInput } from './canonical';
export { checkAllocation, checkAssignments } from './check';
export { createRng, shuffle, type Rng } from './prng';
export { normalizeRanksPerSpecialty } from './normalize';
// The lottery alone on a built instance, for bench/lottery.ts (its CPU time without the run's checks).
export { buildInstance } from './instance';
export { runLottery, type LotteryOptions } from './lottery';
// OPTIMAL's bounds side by side, for bench/allocation-bound.ts (ADR 0055).
export { compareBounds, type BoundsAtRank } from './optimal/bounds';
export { compareDraws, type DrawFigures } from './optimal/draw-comparison';
