import { ConfigError } from '@medcollab/kit';

const START_POSTGRES = 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start';

/** Turns a start-up failure into one line an operator can act on. */
export function describeStartupError(error: unknown): string {
  if (error instanceof ConfigError) return error.message;
  const { code, message, address, port } = error as { code?: string; message?: string; address?: string; port?: number };
  if (
    code === 'ECONNREFUSED' ||
    code === 'ENOTFOUND' ||
    code === 'ETIMEDOUT' ||
    /Connection terminated|timeout exceeded when trying to connect/i.test(message ?? '')
  ) {
    const where = address ? ` at ${address}${port ? `:${port}` : ''}` : '';
    return `PostgreSQL is not reachable${where} (${code ?? message}). Check DATABASE_URL, or start it with: ${START_POSTGRES}`;
  }
  if (code === 'EADDRINUSE') return `The port is already in use (${message}); set PORT to a free one`;
  return `network subgraph failed to start: ${message ?? String(error)}`;
}
