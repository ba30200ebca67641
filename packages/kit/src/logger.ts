import { trace } from '@opentelemetry/api';
import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * JSON logs with the process name on every line; `LOG_LEVEL=silent` in tests. Written to stdout,
 * or to `destination` (a test that reads what a process logs, as it would be written).
 */
export function createLogger(name: string, level: string = process.env.LOG_LEVEL ?? 'info', destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    name,
    level,
    base: { service: name },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Log lines inside a traced request or job name its trace, to jump from a log to the trace.
    mixin() {
      const span = trace.getActiveSpan()?.spanContext();
      return span ? { trace_id: span.traceId, span_id: span.spanId } : {};
    },
    redact: { paths: ['req.headers.authorization', '*.authorization', '*.token'], censor: '[redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}
