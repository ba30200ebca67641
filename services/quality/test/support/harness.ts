import { randomUUID } from 'node:crypto';
import { type Actor, type Role } from '@medcollab/kit';
import { AgreementActivated, type Consumer, createConsumer, type EventEnvelope } from '@medcollab/events';
import { startSubgraphUnderTest, type SubgraphHarness } from '@medcollab/testing';
import { qualityEventHandlers } from '../../src/projections';
import { createQualitySubgraph } from '../../src/server';
import { type QualitySettings } from '../../src/settings';
import { envelope } from './events';
import { type Network } from './generate';

export { codes, ok, type GraphQLResponse } from '@medcollab/testing';

export const TEST_SETTINGS: QualitySettings = {
  academicYearStartMonth: 9,
  minEvaluators: 5,
  rebuildPollMs: 100,
  snapshotEveryMs: 1_000,
  snapshotGraceDays: 0,
  exportSecret: 'quality-test-export-secret',
  exportTtlSeconds: 60,
  publicUrl: 'http://127.0.0.1:0',
  pseudonymKey: 'quality-test-pseudonym-secret-0123456789',
};

export interface QualityHarness extends SubgraphHarness {
  /** The inbox side of quality: tests feed other services' events through it, as the worker would. */
  consumer: Consumer;
  settings: QualitySettings;
  deliver(events: readonly EventEnvelope[]): Promise<void>;
}

/** Starts the quality subgraph in-process on a fresh database and a free port. */
export async function startQuality(overrides: Partial<QualitySettings> = {}): Promise<QualityHarness> {
  const settings = { ...TEST_SETTINGS, ...overrides };
  const base = await startSubgraphUnderTest(createQualitySubgraph(settings));
  const consumer = createConsumer({ service: 'quality', dataSource: base.dataSource, handlers: qualityEventHandlers(settings) });
  return {
    ...base,
    consumer,
    settings,
    async deliver(events) {
      for (const e of events) await consumer.apply({ envelope: e, previousEventId: null });
    },
  };
}

/** Agreements between every school and every hospital of a generated network, with the departments' specialties. */
export function agreements(net: Network, specialty = 'INTERNAL_MEDICINE'): EventEnvelope[] {
  return net.schools.flatMap((schoolId) =>
    net.hospitals.map((hospitalId) => {
      const departments = net.departments.filter((d) => d.hospitalId === hospitalId).map((d) => d.id);
      const agreementId = randomUUID();
      return envelope(AgreementActivated, agreementId, {
        agreementId,
        schoolId,
        hospitalId,
        departmentIds: departments,
        startsOn: '2026-01-01',
        endsOn: '2028-12-31',
        departmentSpecialties: departments.map((departmentId) => ({ departmentId, specialty: specialty as 'INTERNAL_MEDICINE' })),
      });
    }),
  );
}

export const actor = (institutionId: string | null, ...roles: Role[]): Actor => ({ personId: randomUUID(), institutionId, roles });
