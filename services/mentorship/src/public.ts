/** What other packages (the launcher, other services' tests, benchmarks) may import from the mentorship service. */
export { mentorshipSubgraph, type MentorshipContext } from './server';
export { mentorshipEventHandlers } from './projections';
export { seedDemoMentorship, type DemoMentorshipSummary } from './seed/demo-mentorship';
export { seedDemoMentoring, type DemoMentoringSummary } from './seed/demo-mentoring';
export { loadScaleMentorship } from './seed/scale-mentorship';
