import { ConfigError } from './config';

const START_POSTGRES = 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start';
const START_REDIS = 'redis-server --daemonize yes --port 6379 --save "" --appendonly no';

/**
 * Turns a process's start-up failure into one line an operator can act on. `what` names the
 * process ("mentorship subgraph", "quality worker").
 */
export function describeStartupError(what: string, error: unknown): string {
  if (error instanceof ConfigError) return `${what} cannot start: ${error.message}`;
  const { code, message, address, port } = error as { code?: string; message?: string; address?: string; port?: number };
  const where = address ? ` at ${address}${port ? `:${port}` : ''}` : '';
  if (port === 6379 || /redis/i.test(message ?? '')) {
    return `${what} cannot start: Redis is not reachable${where} (${code ?? message}). Check REDIS_URL, or start it with: ${START_REDIS}`;
  }
  if (
    code === 'ECONNREFUSED' ||
    code === 'ENOTFOUND' ||
    code === 'ETIMEDOUT' ||
    /Connection terminated|timeout exceeded when trying to connect/i.test(message ?? '')
  ) {
    return `${what} cannot start: PostgreSQL is not reachable${where} (${code ?? message}). Check DATABASE_URL, or start it with: ${START_POSTGRES}`;
  }
  if (code === 'EADDRINUSE') return `${what} cannot start: the port is already in use (${message}); set PORT to a free one`;
  return `${what} cannot start: ${message ?? String(error)}`;
}
