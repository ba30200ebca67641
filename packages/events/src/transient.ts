/**
 * Errors that say "the database or the network is away for now", not "this event is bad".
 * The consumer retries these without ever parking the event, so a PostgreSQL restart does not
 * fill the parked list. SQLSTATE classes: 08 connection, 57P0x shutdown/terminated, 53300 too
 * many connections, 40001/40P01 serialization failure and deadlock (safe to retry).
 */
const TRANSIENT_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '40001', '40P01']);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH']);
const TRANSIENT_MESSAGE =
  /Connection terminated|terminating connection|ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|Connection is closed|timeout exceeded when trying to connect|Client has encountered a connection error|database system is (starting up|shutting down)|Query read timeout|(query runner|connection provided by a query runner) (was )?already released/i;

export function isTransientError(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const e = error as { code?: unknown; message?: unknown; driverError?: unknown };
  const code = typeof e.code === 'string' ? e.code : undefined;
  if (code && (TRANSIENT_SQLSTATES.has(code) || code.startsWith('08') || NETWORK_CODES.has(code))) return true;
  if (typeof e.message === 'string' && TRANSIENT_MESSAGE.test(e.message)) return true;
  return e.driverError !== undefined && e.driverError !== error && isTransientError(e.driverError);
}
