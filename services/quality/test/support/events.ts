import { randomUUID } from 'node:crypto';
import { type EventContract, type EventEnvelope, type PayloadOf } from '@medcollab/events';

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
