import { type IncomingMessage, type ServerResponse } from 'node:http';
import { type ApolloServer, HeaderMap } from '@apollo/server';
import { type Logger } from '@medcollab/kit';
import { type GatewayContext } from './context';
import { takeRequestId } from './request-id';
import { gatewayTimeoutBody } from './timeout';

/**
 * The gateway's GraphQL endpoint on node:http, without express (ADR 0051). Every client request
 * a dashboard or an institution's system sends — POST /graphql, a JSON body, no content
 * encoding — is read, parsed and answered here; express still serves everything else (the
 * health and metrics routes, GET /graphql, other content types and encodings), with the same
 * request id, backstop and GraphQL-shaped 4xx answers, so no client sees which one answered.
 */
export interface GraphqlHttpOptions {
  apollo: ApolloServer<GatewayContext>;
  /** The request's context (its actor verified), as the express path builds it. */
  context: (req: IncomingMessage, requestId: string, startedAt: number) => Promise<GatewayContext>;
  bodyLimitBytes: number;
  /** The backstop: a 504 when nothing has answered this long after arrival (see responseDeadline). */
  deadlineMs: number;
  timeoutMs: number;
  log: Logger;
  /** The operation fast path (ADR 0062): resolves true when it has answered the request itself. */
  fastPath?: (req: IncomingMessage, res: ServerResponse, body: unknown, requestId: string, startedAt: number) => Promise<boolean>;
}

/** True for the requests {@link graphqlHttpHandler} serves; the others go to express unchanged. */
export function takesPlainPath(req: IncomingMessage): boolean {
  if (req.method !== 'POST') return false;
  const url = req.url ?? '';
  const query = url.indexOf('?');
  if ((query === -1 ? url : url.slice(0, query)) !== '/graphql') return false;
  const encoding = req.headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') return false;
  if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined) return false;
  return isJsonUtf8(req.headers['content-type']);
}

/** `application/json`, with no charset or UTF-8 (what express.json would parse without converting). */
function isJsonUtf8(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const [type, ...params] = contentType.split(';');
  if (type!.trim().toLowerCase() !== 'application/json') return false;
  return params.every((p) => {
    const [name, value] = p.split('=').map((x) => x.trim().toLowerCase());
    return name !== 'charset' || value === 'utf-8' || value === '"utf-8"';
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

const badRequest = (message: string) => ({ errors: [{ message, extensions: { code: 'BAD_REQUEST' } }] });

/** The body, or why it is refused: over the limit (read to its end first, as express does) or broken off. */
function readBody(req: IncomingMessage, limit: number): Promise<{ text: string } | { refused: 413 | 400 }> {
  return new Promise((resolve) => {
    const declared = Number(req.headers['content-length']);
    let tooLarge = Number.isFinite(declared) && declared > limit;
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      if (!tooLarge) chunks.push(chunk);
    });
    req.once('end', () => resolve(tooLarge ? { refused: 413 } : { text: Buffer.concat(chunks, size).toString('utf8') }));
    req.once('error', () => resolve({ refused: 400 }));
  });
}

/** JSON.parse as express.json's strict mode: an object or an array, an empty body an empty object. */
function parseBody(text: string): { body: unknown } | undefined {
  const trimmed = text.trimStart();
  if (trimmed === '') return { body: {} };
  if (trimmed[0] !== '{' && trimmed[0] !== '[') return undefined;
  try {
    return { body: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
}

export function graphqlHttpHandler(opts: GraphqlHttpOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const serve = async (req: IncomingMessage, res: ServerResponse, requestId: string, startedAt: number): Promise<void> => {
    const read = await readBody(req, opts.bodyLimitBytes);
    if ('refused' in read) {
      if (!res.headersSent)
        sendJson(res, read.refused, badRequest(read.refused === 413 ? 'Request body too large' : 'Malformed request body'));
      return;
    }
    const parsed = parseBody(read.text);
    if (!parsed) {
      if (!res.headersSent) sendJson(res, 400, badRequest('Malformed request body'));
      return;
    }
    if (opts.fastPath && (await opts.fastPath(req, res, parsed.body, requestId, startedAt))) return;
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const url = req.url ?? '';
    const query = url.indexOf('?');
    const answer = await opts.apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: 'POST', headers, search: query === -1 ? '' : url.slice(query), body: parsed.body },
      context: () => opts.context(req, requestId, startedAt),
    });
    // The backstop answered already: the client has its 504, this late answer goes nowhere.
    if (res.headersSent) return;
    for (const [key, value] of answer.headers) res.setHeader(key, value);
    res.statusCode = answer.status ?? 200;
    if (answer.body.kind === 'complete') {
      res.setHeader('content-length', Buffer.byteLength(answer.body.string));
      res.end(answer.body.string);
      return;
    }
    for await (const chunk of answer.body.asyncIterator) res.write(chunk);
    res.end();
  };

  return (req, res) => {
    const startedAt = Date.now();
    const requestId = takeRequestId(req, res);
    let timedOut = false;
    const backstop = setTimeout(() => {
      if (!res.headersSent) {
        timedOut = true;
        sendJson(res, 504, gatewayTimeoutBody(opts.timeoutMs));
      }
    }, opts.deadlineMs);
    backstop.unref();
    res.once('close', () => clearTimeout(backstop));
    serve(req, res, requestId, startedAt).catch((error: unknown) => {
      if (res.headersSent) {
        if (!timedOut) opts.log.warn({ err: error }, 'error after the response was sent');
        return;
      }
      opts.log.error({ err: error }, 'unexpected HTTP error');
      sendJson(res, 500, { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] });
    });
  };
}
