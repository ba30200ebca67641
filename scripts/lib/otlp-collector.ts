import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';

/**
 * A local stand-in for an OpenTelemetry collector: receives OTLP/HTTP JSON (what
 * @opentelemetry/exporter-trace-otlp-http sends) on POST /v1/traces and groups spans by trace.
 * `pnpm trace:collector` prints each trace as a tree; the operability test reads the spans.
 * Not for production: it keeps spans in memory and answers every request.
 */

/** One span as received, with the service.name of the process that sent it. */
export interface CollectedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** OTLP SpanKind: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  startNs: bigint;
  endNs: bigint;
  attributes: Record<string, string | number | boolean>;
}

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
}
interface OtlpAttribute {
  key: string;
  value: OtlpValue;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind?: number;
  startTimeUnixNano: string | number;
  endTimeUnixNano: string | number;
  attributes?: OtlpAttribute[];
}
interface OtlpTraces {
  resourceSpans?: { resource?: { attributes?: OtlpAttribute[] }; scopeSpans?: { spans?: OtlpSpan[] }[] }[];
}

const valueOf = (v: OtlpValue): string | number | boolean =>
  v.stringValue ?? (v.intValue !== undefined ? Number(v.intValue) : (v.doubleValue ?? v.boolValue ?? ''));

const attributesOf = (list: OtlpAttribute[] = []) => Object.fromEntries(list.map((a) => [a.key, valueOf(a.value)]));

/** The spans of one OTLP/HTTP JSON export request. */
export function parseOtlpTraces(body: string): CollectedSpan[] {
  const payload = JSON.parse(body) as OtlpTraces;
  return (payload.resourceSpans ?? []).flatMap((rs) => {
    const service = String(attributesOf(rs.resource?.attributes)['service.name'] ?? 'unknown');
    return (rs.scopeSpans ?? []).flatMap((ss) =>
      (ss.spans ?? []).map((s) => ({
        service,
        traceId: s.traceId,
        spanId: s.spanId,
        // The JS exporter sends "" for a root span.
        parentSpanId: s.parentSpanId || undefined,
        name: s.name,
        kind: s.kind ?? 1,
        startNs: BigInt(s.startTimeUnixNano),
        endNs: BigInt(s.endTimeUnixNano),
        attributes: attributesOf(s.attributes),
      })),
    );
  });
}

const ms = (ns: bigint) => Number(ns / 1000n) / 1000;

/**
 * One trace as an indented tree: each line the sending service, the span name, its start after
 * the trace's first span and its duration. A span whose parent is not among the spans (the
 * caller's, or not received yet) is a root.
 */
export function formatTraceTree(spans: CollectedSpan[]): string {
  if (!spans.length) return '';
  const sorted = [...spans].sort((a, b) => (a.startNs < b.startNs ? -1 : a.startNs > b.startNs ? 1 : 0));
  const start = sorted[0]!.startNs;
  const ids = new Set(sorted.map((s) => s.spanId));
  const children = new Map<string | undefined, CollectedSpan[]>();
  for (const span of sorted) {
    const parent = span.parentSpanId && ids.has(span.parentSpanId) ? span.parentSpanId : undefined;
    children.set(parent, [...(children.get(parent) ?? []), span]);
  }
  const width = Math.max(...sorted.map((s) => s.service.length));
  const lines = [`trace ${sorted[0]!.traceId} (${sorted.length} spans, ${new Set(sorted.map((s) => s.service)).size} services)`];
  const walk = (parent: string | undefined, depth: number) => {
    for (const span of children.get(parent) ?? []) {
      const timing = `+${ms(span.startNs - start).toFixed(1)} ms, ${ms(span.endNs - span.startNs).toFixed(1)} ms`;
      lines.push(`  ${span.service.padEnd(width)}  ${'  '.repeat(depth)}${span.name}  (${timing})`);
      walk(span.spanId, depth + 1);
    }
  };
  walk(undefined, 0);
  return lines.join('\n');
}

export interface OtlpCollector {
  port: number;
  /** Every span received so far, in arrival order. */
  spans: CollectedSpan[];
  /** The spans of one trace. */
  trace(traceId: string): CollectedSpan[];
  close(): Promise<void>;
}

/**
 * Listens for OTLP/HTTP JSON on `port` (0: a free one). `onSpans` is told each export's spans;
 * the collector keeps them (at most `maxSpans`, oldest dropped).
 */
export async function startOtlpCollector(
  opts: { port?: number; host?: string; maxSpans?: number; onSpans?: (spans: CollectedSpan[]) => void } = {},
): Promise<OtlpCollector> {
  const maxSpans = opts.maxSpans ?? 100_000;
  const spans: CollectedSpan[] = [];
  const server: Server = createServer((req, res) => {
    if (req.method !== 'POST' || !req.url?.startsWith('/v1/traces')) {
      // Metrics and logs are not exported by MedCollab (OTEL_*_EXPORTER=none); say so plainly.
      res.statusCode = 404;
      return void res.end();
    }
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      let received: CollectedSpan[];
      try {
        received = parseOtlpTraces(body);
      } catch {
        // Protobuf (an exporter set to http/protobuf) or garbage: the exporter logs the 400.
        res.statusCode = 400;
        return void res.end('expected OTLP/HTTP JSON');
      }
      spans.push(...received);
      if (spans.length > maxSpans) spans.splice(0, spans.length - maxSpans);
      opts.onSpans?.(received);
      res.setHeader('content-type', 'application/json');
      res.end('{}');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    spans,
    trace: (traceId) => spans.filter((s) => s.traceId === traceId),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
