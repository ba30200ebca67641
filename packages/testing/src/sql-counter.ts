import { AbstractLogger, type LogLevel, type LogMessage, type QueryRunner } from 'typeorm';

/**
 * A TypeORM logger that counts the SQL statements a DataSource sends, so tests can show a
 * list field is one batched query and not N + 1.
 */
export class SqlCounter extends AbstractLogger {
  readonly statements: string[] = [];

  constructor() {
    super(['query']);
  }

  protected writeLog(
    level: LogLevel,
    message: LogMessage | string | number | (LogMessage | string | number)[],
    _queryRunner?: QueryRunner,
  ): void {
    if (level !== 'query') return;
    const messages = Array.isArray(message) ? message : [message];
    for (const m of messages) {
      const text = typeof m === 'object' ? String(m.message) : String(m);
      // Transaction control is not a data access; leave it out of the count.
      if (!/^(START TRANSACTION|BEGIN|COMMIT|ROLLBACK)/i.test(text)) this.statements.push(text);
    }
  }

  reset(): void {
    this.statements.length = 0;
  }

  get count(): number {
    return this.statements.length;
  }
}
