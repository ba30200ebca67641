import { AbstractLogger, type LogLevel, type LogMessage } from 'typeorm';
import { type Logger } from '@medcollab/kit';

/**
 * Sends TypeORM's own error output to pino at debug level instead of stdout: the relay,
 * sweeper and consumer already log every failure once, with its context, as JSON.
 */
export class QuietOrmLogger extends AbstractLogger {
  constructor(private readonly pino: Logger) {
    super(['error', 'warn']);
  }

  protected writeLog(level: LogLevel, message: LogMessage | string | number | (LogMessage | string | number)[]): void {
    if (level !== 'error' && level !== 'warn') return;
    const messages = Array.isArray(message) ? message : [message];
    for (const m of messages) this.pino.debug({ orm: typeof m === 'object' ? m.message : m }, 'typeorm');
  }
}
