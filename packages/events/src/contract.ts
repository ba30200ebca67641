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

export function defineEvent<N extends string, S extends z.ZodType>(
  name: N,
  version: number,
  aggregateType: string,
  schema: S,
): EventContract<N, S> {
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
  /** `only`: the consumers the event was written for, when not every consumer of its type (AppendOptions.only). */
  metadata: { requestId?: string; actorId?: string; only?: readonly string[] };
}

/** Validates a payload against its contract; a producer bug surfaces before anything commits. */
export function parsePayload<C extends EventContract>(contract: C, payload: unknown): PayloadOf<C> {
  const result = contract.schema.safeParse(payload);
  if (!result.success) {
    throw new BadUserInputError(`Event ${contract.name} v${contract.version} has an invalid payload: ${result.error.message}`);
  }
  return result.data as PayloadOf<C>;
}

/** What the relay puts in a BullMQ job: the envelope plus what the consumer needs to order it. */
export interface EventJobData<P = unknown> {
  envelope: EventEnvelope<P>;
  /** The event of the same aggregate delivered to the same consumer just before; null for the first. */
  previousEventId: string | null;
}

/** Contracts by event name (a consumer looks an incoming event's contract up here). */
export type ContractMap = Record<string, EventContract>;

/**
 * An event that no retry can apply: unknown type, unsupported version or a payload that does
 * not match its contract. The consumer parks it at once; a replay after a fix applies it.
 */
export class InvalidEventError extends Error {
  override name = 'InvalidEventError';
}

/** Checks an incoming envelope against the consumer's contracts and returns it with the parsed payload. */
export function validateEnvelope(contracts: ContractMap, envelope: EventEnvelope): EventEnvelope {
  const contract = Object.hasOwn(contracts, envelope.type) ? contracts[envelope.type] : undefined;
  if (!contract) throw new InvalidEventError(`Unknown event type ${envelope.type}`);
  if (contract.version !== envelope.version) {
    throw new InvalidEventError(`Event ${envelope.type} v${envelope.version} does not match the consumer's contract v${contract.version}`);
  }
  const result = contract.schema.safeParse(envelope.payload);
  if (!result.success) {
    throw new InvalidEventError(`Event ${envelope.type} v${envelope.version} has an invalid payload: ${result.error.message}`);
  }
  return { ...envelope, payload: result.data };
}
