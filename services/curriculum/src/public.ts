/** What other packages (the launcher, other services' tests, benchmarks) may import from the curriculum service. */
export { curriculumSubgraph, type CurriculumContext } from './server';
export { projectionHandlers as curriculumEventHandlers } from './data/projections';
export { seedDemoCurriculum, type DemoCurriculumSummary } from './seed/demo-curriculum';
export { loadScaleCurriculum } from './seed/scale-curriculum';
