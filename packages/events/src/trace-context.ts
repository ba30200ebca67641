import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { type EventEnvelope } from './contract';

/**
 * The active trace context in W3C form (`traceparent`, `tracestate`), written into an event's
 * metadata with the event, so the consumer continues the trace of the change that caused it.
 * Empty when tracing is off (no SDK registered).
 */
export function currentTraceCarrier(): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier;
}

/**
 * Runs the consumption of one event in a CONSUMER span whose parent is the span that wrote the
 * event: a mutation's trace then shows the effects it caused in other services.
 */
export function inConsumeSpan<T>(envelope: EventEnvelope, queue: string, work: () => Promise<T>): Promise<T> {
  const parent = propagation.extract(ROOT_CONTEXT, (envelope.metadata ?? {}) as Record<string, unknown>);
  const attributes = {
    'messaging.system': 'bullmq',
    'messaging.operation.type': 'process',
    'messaging.destination.name': queue,
    'messaging.message.id': envelope.id,
    'medcollab.event.type': envelope.type,
    'medcollab.event.source': envelope.source,
  };
  return trace
    .getTracer('@medcollab/events')
    .startActiveSpan(`consume ${envelope.type}`, { kind: SpanKind.CONSUMER, attributes }, parent, async (span) => {
      try {
        const result = await work();
        span.setAttribute('medcollab.event.outcome', String(result));
        return result;
      } catch (error) {
        span.recordException(error as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
        throw error;
      } finally {
        span.end();
      }
    });
}
