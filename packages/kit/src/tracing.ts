import { type NodeSDK } from '@opentelemetry/sdk-node';
import type * as SdkNode from '@opentelemetry/sdk-node';
import type * as OtlpHttp from '@opentelemetry/exporter-trace-otlp-http';
import type * as HttpInstr from '@opentelemetry/instrumentation-http';
import type * as PgInstr from '@opentelemetry/instrumentation-pg';
import type * as IORedisInstr from '@opentelemetry/instrumentation-ioredis';
import type * as GraphQLInstr from '@opentelemetry/instrumentation-graphql';
import type * as UndiciInstr from '@opentelemetry/instrumentation-undici';

/**
 * OpenTelemetry tracing, on only when an OTLP endpoint is configured
 * (`OTEL_EXPORTER_OTLP_ENDPOINT` or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, standard OTel
 * variables; `OTEL_SERVICE_NAME` overrides the name taken from the entry point). Spans come from
 * incoming HTTP and outgoing HTTP and fetch (the gateway's calls carry `traceparent` to the subgraphs),
 * GraphQL execution, PostgreSQL and Redis; events carry the context to their consumers
 * (@medcollab/events trace-context). Metrics stay with Prometheus, logs with stdout.
 */
let sdk: NodeSDK | undefined;

/** `services/rotations/src/worker.js` → `rotations-worker`; `gateway/src/index.ts` → `gateway`. */
export function serviceNameFromEntry(entry: string | undefined): string {
  const service = /services\/([a-z0-9-]+)\/src\/(index|worker)\.[jt]s$/.exec(entry ?? '');
  if (service) return service[2] === 'worker' ? `${service[1]}-worker` : service[1]!;
  if (/gateway\/src\/index\.[jt]s$/.test(entry ?? '')) return 'gateway';
  return 'medcollab';
}

/** Tracing is on only when an OTLP endpoint is set (for all signals, or for traces alone); off otherwise. */
export function tracingConfigured(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

/** Starts tracing when configured; must run before pg, ioredis, http and graphql are loaded. */
export function startTracing(env: NodeJS.ProcessEnv = process.env): boolean {
  if (sdk || !tracingConfigured(env)) return Boolean(sdk);
  // Metrics are Prometheus's and logs go to stdout: without these the SDK would also export both over OTLP.
  env.OTEL_METRICS_EXPORTER ??= 'none';
  env.OTEL_LOGS_EXPORTER ??= 'none';
  // Loaded only when tracing is on: untraced processes do not pay for the SDK at start-up.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { NodeSDK } = require('@opentelemetry/sdk-node') as typeof SdkNode;
  const { OTLPTraceExporter } = require('@opentelemetry/exporter-trace-otlp-http') as typeof OtlpHttp;
  const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http') as typeof HttpInstr;
  const { PgInstrumentation } = require('@opentelemetry/instrumentation-pg') as typeof PgInstr;
  const { IORedisInstrumentation } = require('@opentelemetry/instrumentation-ioredis') as typeof IORedisInstr;
  const { GraphQLInstrumentation } = require('@opentelemetry/instrumentation-graphql') as typeof GraphQLInstr;
  const { UndiciInstrumentation } = require('@opentelemetry/instrumentation-undici') as typeof UndiciInstr;
  /* eslint-enable @typescript-eslint/no-require-imports */
  sdk = new NodeSDK({
    serviceName: env.OTEL_SERVICE_NAME ?? serviceNameFromEntry(process.argv[1]),
    traceExporter: new OTLPTraceExporter(),
    instrumentations: [
      // Probes and scrapes would be most of the traces and tell nothing.
      new HttpInstrumentation({ ignoreIncomingRequestHook: (req) => /^\/(healthz|readyz|metrics)/.test(req.url ?? '') }),
      // Node's fetch: the gateway's calls to the subgraphs carry `traceparent` through it.
      new UndiciInstrumentation({ requireParentforSpans: true }),
      new PgInstrumentation({ requireParentSpan: true }),
      new IORedisInstrumentation({ requireParentSpan: true }),
      new GraphQLInstrumentation({ mergeItems: true, ignoreTrivialResolveSpans: true }),
    ],
  });
  sdk.start();
  return true;
}

/** Exports the spans still buffered; the shutdown sequence calls it last. */
export async function flushTracing(): Promise<void> {
  await sdk?.shutdown().catch(() => undefined);
  sdk = undefined;
}
