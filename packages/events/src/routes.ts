import { type EventName } from './contracts';

/**
 * Which consuming services receive which events. A BullMQ job is taken by one worker of one
 * queue, so fan-out is one queue per consuming service (`events.<service>`); the producer
 * records one delivery per route in the same transaction as the event (see docs/adr).
 * Consumers are added here as the services that need them are built.
 */
export type Routes = Partial<Record<string, readonly string[]>>;

export const ROUTES: Partial<Record<EventName, readonly string[]>> = {};

export function consumersOf(routes: Routes, eventType: string): readonly string[] {
  return routes[eventType] ?? [];
}

export const eventQueueName = (consumer: string): string => `events.${consumer}`;
