import { GraphQLError } from 'graphql';
import { type ErrorRequestHandler, type RequestHandler } from 'express';
import { type Logger } from '@medcollab/kit';

export const GATEWAY_TIMEOUT = 'GATEWAY_TIMEOUT';

/** Raised by the gateway itself when an operation runs out of its time budget. */
export class GatewayTimeoutError extends GraphQLError {
  constructor(timeoutMs: number) {
    super(`The operation did not finish within ${timeoutMs} ms and was stopped`, { extensions: { code: GATEWAY_TIMEOUT } });
  }
}

/** The backstop's answer (HTTP 504), on the express path and the plain one alike. */
export const gatewayTimeoutBody = (timeoutMs: number) => ({
  errors: [{ message: new GatewayTimeoutError(timeoutMs).message, extensions: { code: GATEWAY_TIMEOUT } }],
});

/** True for the errors fetch raises when its AbortSignal fired. */
export function isAbortError(error: unknown): boolean {
  const name = (error as { name?: string } | null)?.name;
  return name === 'TimeoutError' || name === 'AbortError';
}

/**
 * Backstop behind the per-fetch deadline: if nothing has answered `afterMs` after the request
 * arrived (e.g. query planning stalled), the client gets a 504 with a GraphQL error instead of
 * a socket that hangs until its own timeout.
 */
export function responseDeadline(afterMs: number, timeoutMs: number): RequestHandler {
  return (_req, res, next) => {
    const timer = setTimeout(() => {
      if (res.headersSent) return;
      res.locals.timedOut = true;
      res.status(504).json(gatewayTimeoutBody(timeoutMs));
    }, afterMs);
    timer.unref();
    res.once('close', () => clearTimeout(timer));
    next();
  };
}

/**
 * Last express handler: malformed or oversized JSON bodies become GraphQL-shaped 4xx errors,
 * and a late write after the backstop answered is dropped quietly (the client already has its 504).
 */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (error: { status?: number; type?: string; message?: string }, _req, res, _next) => {
    if (res.headersSent) {
      if (!res.locals.timedOut) log.warn({ err: error }, 'error after the response was sent');
      return;
    }
    const status = typeof error.status === 'number' && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (status === 500) log.error({ err: error }, 'unexpected HTTP error');
    const message = status === 500 ? 'Internal server error' : status === 413 ? 'Request body too large' : 'Malformed request body';
    res.status(status).json({ errors: [{ message, extensions: { code: status === 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST' } }] });
  };
}
