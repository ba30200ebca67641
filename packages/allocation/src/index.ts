/**
 * @medcollab/allocation: rotation allocation engine (OPTIMAL integer program with HiGHS, LOTTERY
 * random serial dictatorship). Pure: a snapshot in, results out; no database or queue I/O.
 * See docs/adr/0004-allocation-model.md.
 */
export * from './types';
export { allocate, lotterySeeds, runVariations } from './run';
export { runVariationsInThread, type ThreadProgress } from './thread';
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
