/** What other packages (the launcher, other services' tests, benchmarks) may import from the rotations service. */
export { rotationsSubgraph, type RotationsContext } from './server';
export { rotationsEventHandlers } from './projections';
export { seedDemoRotations, type DemoRotationsSummary } from './seed/demo-rotations';
export { loadScaleRotations } from './seed/scale-rotations';
export { allocationTask } from './allocation/task';
