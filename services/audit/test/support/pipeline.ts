import { assessmentEventHandlers, assessmentSubgraph } from '@medcollab/assessment';
import { type DemoNetworkSummary } from '@medcollab/demo-world';
import { mentorshipEventHandlers, mentorshipSubgraph } from '@medcollab/mentorship';
import { networkSubgraph, placementGrantHandlers, seedDemoNetwork } from '@medcollab/network';
import { rotationsEventHandlers, rotationsSubgraph } from '@medcollab/rotations';
import { type Pipeline, type PipelineService, startPipeline, tokenFor } from '@medcollab/testing';
import { auditEventHandlers } from '../../src/projections';
import { createAuditSubgraph } from '../../src/server';

/** The audit end-to-end system: the demo network, the services that record reads and changes, and audit. */
export interface AuditSystem {
  p: Pipeline;
  demo: DemoNetworkSummary;
  /** The demo coordinator's school, whose trail the tests read. */
  schoolId: string;
}

/**
 * Network, rotations, mentorship (and assessment when asked) with their workers, audit with its
 * worker, and the gateway, on the seeded demo network. Fills `tokens` with the callers both e2e
 * files use: the school's `coordinator`, `schoolAdmin` and demo `student`, the hospital's
 * coordinator (`hospital`) and `instructor`, and `otherAdmin`, another school's admin.
 */
export async function startAuditSystem(tokens: Record<string, string>, opts: { assessment?: boolean } = {}): Promise<AuditSystem> {
  const services: PipelineService[] = [
    // The demo network from a template seeded once per run; its events are relayed when the pipeline starts.
    { module: networkSubgraph, handlers: placementGrantHandlers, seed: { name: 'demo', load: seedDemoNetwork } },
    { module: rotationsSubgraph, handlers: rotationsEventHandlers },
    ...(opts.assessment ? [{ module: assessmentSubgraph, handlers: assessmentEventHandlers() }] : []),
    { module: mentorshipSubgraph, handlers: mentorshipEventHandlers },
    {
      module: createAuditSubgraph({
        exportSecret: 'audit-e2e-export-secret',
        exportTtlSeconds: 60,
        publicUrl: 'http://127.0.0.1',
        retentionIntervalMs: 60_000,
        checkpointIntervalMs: 60_000,
      }),
      handlers: auditEventHandlers(),
    },
  ];
  const p = await startPipeline(services);
  const demo = await seedDemoNetwork(p.subgraphs.network!.dataSource);
  const schoolId = demo.coordinator.institutionId;
  const otherSchool = demo.schools.find((s) => s.id !== schoolId)!.id;
  const person = (who: { id: string; institutionId: string }, role: 'COORDINATOR' | 'CLINICAL_INSTRUCTOR' | 'INSTITUTION_ADMIN') =>
    tokenFor({ personId: who.id, institutionId: who.institutionId, roles: [role] });
  tokens.coordinator = await person(demo.coordinator, 'COORDINATOR');
  tokens.hospital = await person(demo.hospitalCoordinator, 'COORDINATOR');
  tokens.instructor = await person(demo.clinicalInstructor, 'CLINICAL_INSTRUCTOR');
  tokens.schoolAdmin = await person({ id: demo.institutionAdmin.id, institutionId: schoolId }, 'INSTITUTION_ADMIN');
  tokens.otherAdmin = await person({ id: demo.institutionAdmin.id, institutionId: otherSchool }, 'INSTITUTION_ADMIN');
  tokens.student = await tokenFor({ personId: demo.student.id, institutionId: schoolId, roles: ['STUDENT'] });
  return { p, demo, schoolId };
}
