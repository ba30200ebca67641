/** What other packages (the launcher, other services' tests, benchmarks) may import from the network service. */
export { networkSubgraph, type NetworkContext } from './server';
export { mentorGrantHandlers } from './projections/mentor-grants';
export { placementGrantHandlers } from './projections/placement-grants';
export { seedDemoNetwork } from './seed/demo-network';
export { processNextRosterImport } from './roster/processor';
export { ROSTER_IMPORT_CONSUMER, ROSTER_IMPORT_QUEUE, startRosterImportWorker } from './roster/job';
export { loadScaleNetwork } from './seed/scale-network';
export { networkFactSnapshot } from './data/facts';
