/** What other packages (the launcher, the verify command, other services' tests, benchmarks) may import from the audit service. */
export { createAuditSubgraph, auditSubgraph, type AuditContext } from './server';
export { auditEventHandlers } from './projections';
export { checkpointTask, retentionTask } from './tasks/chain-tasks';
export { verifyChains, verifyChain, type ChainReport, type BrokenLink, type VerifyFrom } from './data/verify';
export { applyRetention } from './data/retention';
export { auditSettings } from './settings';
export { runVerifyCommand, VERIFY_USAGE, type CommandOutput } from './verify-command';
