import { randomUUID } from 'node:crypto';
import { AgreementActivated, type EventContract, type EventEnvelope, type PayloadOf } from '@medcollab/events';

/** An envelope as a producer would write it (sequence per aggregate), for feeding quality's consumer. */
export function envelope<C extends EventContract>(
  contract: C,
  aggregateId: string,
  payload: PayloadOf<C>,
  sequence = 1,
  id: string = randomUUID(),
): EventEnvelope {
  return {
    id,
    type: contract.name,
    version: contract.version,
    source: 'test',
    aggregateType: contract.aggregateType,
    aggregateId,
    sequence,
    occurredAt: new Date().toISOString(),
    payload,
    metadata: {},
  };
}

/** An agreement between a school and a hospital in force over the years the tests use (2026-2028). */
export function agreementBetween(
  schoolId: string,
  hospitalId: string,
  departmentIds: string[] = [],
  agreementId: string = randomUUID(),
): EventEnvelope {
  return envelope(AgreementActivated, agreementId, {
    agreementId,
    schoolId,
    hospitalId,
    departmentIds,
    startsOn: '2026-01-01',
    endsOn: '2028-12-31',
  });
}
