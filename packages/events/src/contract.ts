import { type z } from 'zod';
import { BadUserInputError } from '@medcollab/kit';

/**
 * A versioned event type shared by its producer and its consumers. The payload schema is
 * checked when the producer writes the event and again when a consumer receives it.
 */
export interface EventContract<N extends string = string, S extends z.ZodType = z.ZodType> {
  name: N;
  version: number;
  /** The kind of thing the event is about; events of one aggregate are consumed in order. */
  aggregateType: string;
  schema: S;
}

export type PayloadOf<C extends EventContract> = z.infer<C['schema']>;

export function defineEvent<N extends string, S extends z.ZodType>(name: N, version: number, aggregateType: string, schema: S): EventContract<N, S> {
  return { name, version, aggregateType, schema };
}

/** The envelope that travels through the outbox, BullMQ and the inbox. */
export interface EventEnvelope<P = unknown> {
  id: string;
  type: string;
  version: number;
  source: string;
  aggregateType: string;
  aggregateId: string;
  /** 1, 2, 3… per aggregate, assigned when the producer writes the event. */
  sequence: number;
  occurredAt: string;
  payload: P;
  metadata: { requestId?: string; actorId?: string };
}

/** Validates a payload against its contract; a producer bug surfaces before anything commits. */
export function parsePayload<C extends EventContract>(contract: C, payload: unknown): PayloadOf<C> {
  const result = contract.schema.safeParse(payload);
  if (!result.success) {
    throw new BadUserInputError(`Event ${contract.name} v${contract.version} has an invalid payload: ${result.error.message}`);
  }
  return result.data as PayloadOf<C>;
}
