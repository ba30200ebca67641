import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type ServerResponse } from 'node:http';
import { type RequestHandler } from 'express';
import { REQUEST_ID_HEADER } from '@medcollab/kit';

/**
 * What we accept as an incoming request id: it is logged and signed into subgraph headers
 * (where a newline would change the signed material), so only a short, plain token.
 */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's x-request-id when well formed, otherwise a new one; echoed on the response. */
export function takeRequestId(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers[REQUEST_ID_HEADER];
  const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
  res.setHeader(REQUEST_ID_HEADER, id);
  return id;
}

/** The express path's {@link takeRequestId}, with the id and arrival time in `res.locals`. */
export function requestId(): RequestHandler {
  return (req, res, next) => {
    res.locals.requestId = takeRequestId(req, res);
    res.locals.startedAt = Date.now();
    next();
  };
}
