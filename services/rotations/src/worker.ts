/**
 * The rotations worker process (no GraphQL API). It consumes the network's events into the
 * projections rotations decides with (students, staff, departments, agreements), the
 * curriculum's (enrolments, completed modules: requirements' prerequisites), publishes
 * rotations' own outbox (Placement* events) to their consumers, and solves queued allocation
 * runs (src/allocation/processor.ts). Probes: /healthz and /readyz on HEALTH_PORT (default 4103).
 */
import { startWorkerProcess } from '@medcollab/events';
import { allocationTask } from './allocation/task';
import { rotationsEventHandlers } from './projections';
import { rotationsSubgraph } from './server';

startWorkerProcess({
  module: rotationsSubgraph,
  handlers: rotationsEventHandlers,
  // Stopped before the events runtime: a solve in progress finishes its pass first.
  tasks: [allocationTask],
});
