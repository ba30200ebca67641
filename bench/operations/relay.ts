/**
 * The hop without a gateway (`pnpm bench:operations --targets relay`): a process that only
 * forwards. POST /<subgraph>/graphql is read whole, sent on to that subgraph over a kept-alive
 * node:http socket with the client's headers (the bench signs them as for `direct`), and the
 * answer is read whole and written back with its status and content type: the same reads and
 * writes the gateway's single fetch makes, with no parsing, token, plan, signing or plugin. Its
 * latency over `direct` is what one more process on the path costs on this machine; the gateway's
 * over the relay is what the gateway does.
 *
 * Env: PORT, RELAY_TARGETS (JSON: subgraph name → URL).
 */
import { createServer, request, Agent } from 'node:http';
import { subgraphOfPath } from './recording';

const targets = JSON.parse(process.env.RELAY_TARGETS ?? '{}') as Record<string, string>;
const agent = new Agent({ keepAlive: true, scheduling: 'lifo' });
const SKIPPED = new Set(['host', 'connection', 'content-length']);

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const target = new URL(targets[subgraphOfPath(req.url)] ?? 'http://127.0.0.1:9/');
    const headers: Record<string, string> = { 'content-length': String(body.length) };
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && !SKIPPED.has(k)) headers[k] = v;
    const out = request({ host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent, headers }, (answer) => {
      const parts: Buffer[] = [];
      answer.on('data', (c: Buffer) => parts.push(c));
      answer.on('end', () => {
        const text = Buffer.concat(parts);
        res.writeHead(answer.statusCode ?? 502, {
          'content-type': answer.headers['content-type'] ?? 'application/json',
          'content-length': text.length,
        });
        res.end(text);
      });
    });
    out.on('error', (error) => {
      res.writeHead(502);
      res.end(error.message);
    });
    out.end(body);
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT), '127.0.0.1');
process.once('SIGTERM', () => server.close(() => process.exit(0)));
