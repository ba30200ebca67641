/** What other packages (the launcher, other services' tests, benchmarks) may import from the assessment service. */
export { assessmentSubgraph, createAssessmentSubgraph, type AssessmentContext } from './server';
export { assessmentEventHandlers } from './projections';
export { seedDemoAssessment, type DemoAssessmentSummary } from './seed/demo-assessment';
export { libraryInstrumentId } from './seed/instrument-library';
export { loadScaleAssessment, scaleAssessmentPublished } from './seed/scale-assessment';
