/**
 * The audit worker process (no GraphQL API). It consumes every service's AuditRecorded batches
 * into the chained, append-only store (src/projections), applies retention policies and
 * checkpoints each chain for its institution, and creates the trail's monthly partitions ahead. Probes:
 * /healthz and /readyz on HEALTH_PORT (default 4108).
 */
import { startWorkerProcess } from '@medcollab/events';
import { auditEventHandlers } from './projections';
import { auditSubgraph } from './server';
import { auditSettings } from './settings';
import { checkpointTask, partitionTask, retentionTask } from './tasks/chain-tasks';

startWorkerProcess({
  module: auditSubgraph,
  handlers: auditEventHandlers(),
  tasks: [retentionTask(auditSettings()), checkpointTask(auditSettings()), partitionTask()],
});
