import { randomUUID } from 'node:crypto';
import { type RequestHandler } from 'express';
import { REQUEST_ID_HEADER } from '@medcollab/kit';

/**
 * What we accept as an incoming request id: it is logged and signed into subgraph headers
 * (where a newline would change the signed material), so only a short, plain token.
 */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Takes the caller's x-request-id when well formed, otherwise makes one; echoes it back. */
export function requestId(): RequestHandler {
  return (req, res, next) => {
    const given = req.headers[REQUEST_ID_HEADER];
    const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    res.locals.requestId = id;
    res.locals.startedAt = Date.now();
    res.setHeader(REQUEST_ID_HEADER, id);
    next();
  };
}
