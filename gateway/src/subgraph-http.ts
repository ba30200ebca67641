import http from 'node:http';
import https from 'node:https';

/**
 * What @apollo/gateway's RemoteGraphQLDataSource reads of a fetch response (`ok`, `status`,
 * `headers.get`, `json()`, `text()`; `url` and `statusText` for its error message).
 */
export interface SubgraphResponse {
  ok: boolean;
  status: number;
  statusText: string;
  url: string;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
  json(): Promise<unknown>;
}

export interface SubgraphRequestInit {
  method?: string;
  headers: Record<string, string>;
  body: string;
  /** Milliseconds until the request is given up with an AbortError (the operation's deadline). */
  timeoutMs: number;
}

/**
 * Idle sockets are closed by the gateway after this long, well before a subgraph closes them
 * (the kit's KEEP_ALIVE_TIMEOUT_MS), so no request goes out on a socket the subgraph is closing.
 */
export const IDLE_SOCKET_MS = 30_000;

// Kept-alive sockets per subgraph, reused newest first so idle ones can time out.
export const agents = {
  'http:': new http.Agent({ keepAlive: true, scheduling: 'lifo', timeout: IDLE_SOCKET_MS }),
  'https:': new https.Agent({ keepAlive: true, scheduling: 'lifo', timeout: IDLE_SOCKET_MS }),
};

interface Target {
  transport: typeof http | typeof https;
  options: http.RequestOptions;
}

/**
 * A subgraph's URL parsed once, not on every fetch (the gateway calls a handful of URLs
 * millions of times; parsing and converting each to request options showed in its profile).
 */
const targets = new Map<string, Target>();
function targetOf(url: string): Target {
  let target = targets.get(url);
  if (!target) {
    const parsed = new URL(url);
    const secure = parsed.protocol === 'https:';
    target = {
      transport: secure ? https : http,
      options: {
        protocol: parsed.protocol,
        hostname: parsed.hostname.startsWith('[') ? parsed.hostname.slice(1, -1) : parsed.hostname,
        port: parsed.port || undefined,
        path: `${parsed.pathname}${parsed.search}`,
        agent: agents[secure ? 'https:' : 'http:'],
        ...(parsed.username || parsed.password
          ? { auth: `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}` }
          : {}),
      },
    };
    targets.set(url, target);
  }
  return target;
}

function abortError(): Error {
  const error = new Error('The subgraph request was aborted at the operation deadline');
  error.name = 'AbortError';
  return error;
}

/**
 * POSTs one subgraph request with node:http over a kept-alive socket and reads the whole answer.
 * The gateway used Node's fetch before: in a profile of the block board under the bench its
 * WHATWG streams, Request and AbortSignal objects were the gateway's largest cost, for a request
 * whose body is already a string and whose answer is read whole; `bench/fetcher-cost.ts`
 * measures 1.4-1.5 ms of CPU per request with fetch against 0.6-0.7 ms with this.
 */
export function postToSubgraph(url: string, init: SubgraphRequestInit): Promise<SubgraphResponse> {
  const { transport, options } = targetOf(url);
  return new Promise((resolve, reject) => {
    const req = transport.request(
      {
        ...options,
        method: init.method ?? 'POST',
        headers: { ...init.headers, 'content-length': String(Buffer.byteLength(init.body)) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', fail);
        res.on('end', () => {
          clearTimeout(timer);
          const text = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          resolve({
            ok: status >= 200 && status < 300,
            status,
            statusText: res.statusMessage ?? '',
            url,
            headers: {
              get: (name: string) => {
                const value = res.headers[name.toLowerCase()];
                return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
              },
            },
            text: () => Promise.resolve(text),
            json: () => Promise.resolve().then(() => JSON.parse(text) as unknown),
          });
        });
      },
    );
    function fail(error: Error): void {
      clearTimeout(timer);
      reject(error);
    }
    const timer = setTimeout(() => {
      const error = abortError();
      reject(error);
      req.destroy(error);
    }, init.timeoutMs);
    req.on('error', fail);
    req.end(init.body);
  });
}
