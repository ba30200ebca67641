import { trace } from '@opentelemetry/api';
import { serviceNameFromEntry, startTracing, tracingConfigured } from '../src';

/** Tracing is off unless an OTLP endpoint is set; spans are named after the process's entry point. */
describe('tracing switch', () => {
  it('is on with an OTLP endpoint for all signals or for traces alone, off otherwise', () => {
    expect(tracingConfigured({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(true);
    expect(tracingConfigured({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' })).toBe(true);
    expect(tracingConfigured({})).toBe(false);
    expect(tracingConfigured({ OTEL_EXPORTER_OTLP_ENDPOINT: '' })).toBe(false);
  });

  it('starts nothing without an endpoint: spans are not recorded', () => {
    const env: NodeJS.ProcessEnv = {};
    expect(startTracing(env)).toBe(false);
    expect(env.OTEL_METRICS_EXPORTER).toBeUndefined();
    const span = trace.getTracer('test').startSpan('nothing');
    expect(span.isRecording()).toBe(false);
    span.end();
  });

  it('names each process after its entry point, compiled or not', () => {
    expect(serviceNameFromEntry('/app/services/rotations/src/worker.js')).toBe('rotations-worker');
    expect(serviceNameFromEntry('/repo/services/network/src/index.ts')).toBe('network');
    expect(serviceNameFromEntry('/repo/gateway/src/index.ts')).toBe('gateway');
    expect(serviceNameFromEntry('/repo/scripts/migrate.ts')).toBe('medcollab');
    expect(serviceNameFromEntry(undefined)).toBe('medcollab');
  });
});
