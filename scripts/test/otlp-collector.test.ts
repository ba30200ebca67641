import { formatTraceTree, startOtlpCollector, type OtlpCollector } from '../lib/otlp-collector';

/** The local collector of `pnpm trace:collector`: OTLP/HTTP JSON in, one tree per trace out. */
const traceId = '0af7651916cd43dd8448eb211c80319c';
const span = (spanId: string, name: string, parentSpanId: string, startMs: number, endMs: number) => ({
  traceId,
  spanId,
  parentSpanId,
  name,
  kind: 2,
  startTimeUnixNano: String(BigInt(startMs) * 1_000_000n),
  endTimeUnixNano: String(BigInt(endMs) * 1_000_000n),
  attributes: [{ key: 'http.method', value: { stringValue: 'POST' } }],
});
const exportOf = (service: string, spans: ReturnType<typeof span>[]) => ({
  resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] }, scopeSpans: [{ spans }] }],
});

let collector: OtlpCollector;
const told: string[] = [];
beforeAll(async () => {
  collector = await startOtlpCollector({ onSpans: (spans) => told.push(...spans.map((s) => s.name)) });
});
afterAll(() => collector.close());

const post = (path: string, body: string) =>
  fetch(`http://127.0.0.1:${collector.port}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

describe('the local OTLP collector', () => {
  it('keeps the spans of each export with the service that sent them, and prints a trace as a tree', async () => {
    // The JS exporter sends "" as a root span's parent; the worker's span arrives later, from another process.
    expect((await post('/v1/traces', JSON.stringify(exportOf('gateway', [span('a1', 'POST', '', 1000, 1100)])))).status).toBe(200);
    await post('/v1/traces', JSON.stringify(exportOf('network', [span('b1', 'mutation Create', 'a1', 1010, 1090)])));
    await post('/v1/traces', JSON.stringify(exportOf('quality-worker', [span('c1', 'consume Created', 'b1', 1200, 1250)])));
    expect(told).toEqual(['POST', 'mutation Create', 'consume Created']);
    const spans = collector.trace(traceId);
    expect(spans.map((s) => [s.service, s.parentSpanId, s.attributes['http.method']])).toEqual([
      ['gateway', undefined, 'POST'],
      ['network', 'a1', 'POST'],
      ['quality-worker', 'b1', 'POST'],
    ]);
    expect(formatTraceTree(spans).split('\n')).toEqual([
      `trace ${traceId} (3 spans, 3 services)`,
      '  gateway         POST  (+0.0 ms, 100.0 ms)',
      '  network           mutation Create  (+10.0 ms, 80.0 ms)',
      '  quality-worker      consume Created  (+200.0 ms, 50.0 ms)',
    ]);
  });

  it('shows a span whose parent it never received as a root', () => {
    const [orphan] = collector.trace(traceId).filter((s) => s.spanId === 'c1');
    expect(formatTraceTree([orphan!]).split('\n')[1]).toBe('  quality-worker  consume Created  (+0.0 ms, 50.0 ms)');
    expect(formatTraceTree([])).toBe('');
  });

  it('refuses what is not OTLP JSON, and answers 404 off /v1/traces', async () => {
    expect((await post('/v1/traces', '\u0000protobuf')).status).toBe(400);
    expect((await post('/v1/metrics', '{}')).status).toBe(404);
    expect(collector.spans).toHaveLength(3);
  });
});
