/** What other packages (the launcher, other services' tests, benchmarks) may import from the quality service. */
export { createQualitySubgraph, qualitySubgraph, type QualityContext } from './server';
export { qualityEventHandlers } from './projections';
export { rebuildRollups } from './data/rebuild';
export { KNOWN_BLOCKS } from './data/mentorship-blocks';
export { protectionMemo } from './domain/protection';
export { canonicalReport, freezeDuePeriods, freezeRevision } from './data/snapshots';
export { REPORT_METRICS } from './domain/metrics';
export { qualitySettings } from './settings';
export { loadScaleQuality } from './seed/scale-quality';
