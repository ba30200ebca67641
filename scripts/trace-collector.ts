import { parseCommandLine } from '@medcollab/kit';
import { type CollectedSpan, formatTraceTree, startOtlpCollector } from './lib/otlp-collector';

/**
 * `pnpm trace:collector`: a local OTLP/HTTP receiver that prints every trace as a tree, for
 * `OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318 pnpm start` in another terminal
 * (docs/operations.md, Traces). A trace is printed once no span of it arrived for --quiet-ms, and
 * printed again, whole, when later spans arrive (a consumer's, seconds after the mutation).
 */
const USAGE = `Usage: pnpm trace:collector [--port 4318] [--host 127.0.0.1] [--quiet-ms 3000]

Receives OpenTelemetry traces over OTLP/HTTP JSON (POST /v1/traces) and prints each one as a
tree: service, span name, start and duration. Point the processes at it with
OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:<port>. Ctrl-C stops it.`;

async function main(): Promise<void> {
  const args = parseCommandLine(USAGE, {
    port: { type: 'string', default: '4318' },
    host: { type: 'string', default: '127.0.0.1' },
    'quiet-ms': { type: 'string', default: '3000' },
  });
  const quietMs = Number(args['quiet-ms']);
  const port = Number(args.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535 || !(quietMs > 0)) {
    console.error(`--port must be a port number and --quiet-ms a positive number\n\n${USAGE}`);
    process.exit(2);
  }
  // Traces still arriving, and those printed (kept a while so late spans reprint the whole tree).
  const traces = new Map<string, { spans: CollectedSpan[]; timer?: NodeJS.Timeout; printed: boolean }>();
  const print = (traceId: string) => {
    const entry = traces.get(traceId);
    if (!entry) return;
    entry.timer = undefined;
    console.log(`${entry.printed ? '(again, with later spans) ' : ''}${formatTraceTree(entry.spans)}\n`);
    entry.printed = true;
  };
  const collector = await startOtlpCollector({
    port,
    host: args.host,
    maxSpans: 1,
    onSpans: (spans) => {
      for (const span of spans) {
        let entry = traces.get(span.traceId);
        if (!entry) {
          entry = { spans: [], printed: false };
          traces.set(span.traceId, entry);
          // Bounded memory: the oldest trace goes once a thousand are kept.
          if (traces.size > 1000) traces.delete(traces.keys().next().value!);
        }
        entry.spans.push(span);
        clearTimeout(entry.timer);
        entry.timer = setTimeout(() => print(span.traceId), quietMs);
      }
    },
  });
  console.log(
    `Collecting traces on http://${args.host}:${collector.port} (OTLP/HTTP JSON).\n` +
      `Run: OTEL_EXPORTER_OTLP_ENDPOINT=http://${args.host}:${collector.port} pnpm start\n`,
  );
  const stop = () => void collector.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
