/**
 * A recording of what the subgraphs answered the gateway for some operations (`pnpm
 * bench:operations --record <file>`), which `pnpm bench:gateway-cpu --replay <file>` serves from a
 * stub: the gateway's CPU per request on operations that need several subgraphs (query plans with
 * entity fetches), measured alone, with real answers and without a database or the subgraphs'
 * CPU beside it on the same two cores.
 *
 * A fetch's body is the same for every request of an operation (the query, the representations as
 * variables, the operation name: nothing per request), so the body names its answer.
 */
import { createServer, type Server } from 'node:http';
import { type Actor } from '@medcollab/kit';

export interface RecordedOperation {
  key: string;
  title: string;
  /** The client's request body. */
  body: string;
  actor: Actor;
  /** The gateway's answer, as bytes: a replay must give exactly these. */
  answer: string;
}

export interface Recording {
  operations: RecordedOperation[];
  /** The subgraph's answer by `<subgraph name>\n<fetch body>`. */
  fetches: Record<string, string>;
}

export const fetchKey = (subgraph: string, body: string) => `${subgraph}\n${body}`;

/** The subgraph a recording proxy's or replay stub's URL path names (`/<name>/graphql`). */
export const subgraphOfPath = (url: string | undefined) => /^\/([a-z-]+)\//.exec(url ?? '')?.[1] ?? '';

/**
 * A proxy at `/<name>/graphql` for every subgraph in `targets`: forwards the request (the gateway's
 * signed headers included) and keeps each answer in `fetches`.
 */
export function recordingProxy(targets: Record<string, string>, fetches: Record<string, string>): Server {
  return createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString();
      const name = subgraphOfPath(req.url);
      const headers = Object.fromEntries(
        Object.entries(req.headers).filter(([k, v]) => typeof v === 'string' && !['host', 'connection', 'content-length'].includes(k)),
      ) as Record<string, string>;
      fetch(targets[name]!, { method: 'POST', headers, body })
        .then(async (answer) => {
          const text = await answer.text();
          if (answer.ok) fetches[fetchKey(name, body)] = text;
          res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
          res.end(text);
        })
        .catch((error: Error) => {
          res.writeHead(502);
          res.end(error.message);
        });
    });
  });
}
