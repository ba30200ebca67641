import { randomUUID } from 'node:crypto';
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { appendEvents, consumerDb, deletePrefixKeys, type ProbeDb, producerDb, redisUrl, uniquePrefix, waitFor } from './fixtures/probe';
import { type Pipeline, startPipeline } from './fixtures/pipeline';

// What the SDK registers in a traced process, with spans kept in memory.
const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });

let producer: ProbeDb;
let consumer: ProbeDb;
let pipeline: Pipeline | undefined;
const prefix = uniquePrefix('tracing');

beforeAll(async () => {
  trace.setGlobalTracerProvider(provider);
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  [producer, consumer] = await Promise.all([producerDb(), consumerDb()]);
});
afterAll(async () => {
  await pipeline?.stop();
  await deletePrefixKeys(redisUrl(), prefix).catch(() => undefined);
  await Promise.all([producer.close(), consumer.close()]);
  trace.disable();
  context.disable();
  propagation.disable();
  await provider.shutdown();
});

describe('trace context through the outbox', () => {
  it("continues the writer's trace in the consumer: the mutation's trace shows the effect in the other service", async () => {
    const tracer = trace.getTracer('test');
    const accountId = randomUUID();
    const { traceId, spanId, eventId } = await tracer.startActiveSpan('mutation RecordProbe', async (span) => {
      const [id] = await appendEvents(producer.ds, [{ accountId, amount: 7 }]);
      span.end();
      return { ...span.spanContext(), eventId: id! };
    });
    const [row] = await producer.ds.query('SELECT metadata FROM outbox WHERE id = $1', [eventId]);
    expect(row.metadata.traceparent).toBe(`00-${traceId}-${spanId}-01`);

    pipeline = await startPipeline({ producer, consumer, redisUrl: redisUrl(), prefix });
    await waitFor('the event to be applied', async () => {
      const [effect] = await consumer.ds.query('SELECT count(*)::int AS n FROM probe_effect WHERE event_id = $1', [eventId]);
      return effect.n === 1;
    });
    await waitFor('the consume span to end', async () => exporter.getFinishedSpans().some((s) => s.name === 'consume ProbeRecorded'));
    const consumed = exporter.getFinishedSpans().find((s) => s.name === 'consume ProbeRecorded')!;
    expect(consumed.spanContext().traceId).toBe(traceId);
    expect(consumed.parentSpanContext?.spanId).toBe(spanId);
    expect(consumed.attributes).toMatchObject({
      'messaging.destination.name': 'events.probe-consumer',
      'messaging.message.id': eventId,
      'medcollab.event.outcome': 'applied',
    });
  });

  it('writes no trace context when no span is active', async () => {
    const [eventId] = await appendEvents(producer.ds, [{ accountId: randomUUID(), amount: 1 }]);
    const [row] = await producer.ds.query('SELECT metadata FROM outbox WHERE id = $1', [eventId]);
    expect(row.metadata).toEqual({});
  });
});
