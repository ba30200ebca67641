import { createServer } from 'node:http';
import { closeServer, KEEP_ALIVE_TIMEOUT_MS, listen } from '@medcollab/kit';
import { agents, IDLE_SOCKET_MS, postToSubgraph } from '../src/subgraph-http';

describe('kept-alive sockets between the gateway and its subgraphs', () => {
  it('has the subgraph keep an idle connection longer than the gateway keeps an idle socket', async () => {
    const server = createServer((_req, res) => res.end('{}'));
    await listen(server, 0, '127.0.0.1');
    try {
      expect(server.keepAliveTimeout).toBe(KEEP_ALIVE_TIMEOUT_MS);
      // Node keeps an agent's options (not in its typings); `timeout` closes its idle sockets.
      const idleTimeout = (agent: object) => (agent as { options: { timeout?: number } }).options.timeout;
      expect(idleTimeout(agents['http:'])).toBe(IDLE_SOCKET_MS);
      expect(idleTimeout(agents['https:'])).toBe(IDLE_SOCKET_MS);
      // With a margin far larger than any event-loop stall: the gateway always closes first.
      expect(KEEP_ALIVE_TIMEOUT_MS - IDLE_SOCKET_MS).toBeGreaterThanOrEqual(30_000);
    } finally {
      await closeServer(server);
    }
  });

  it('sends one request after another over one socket', async () => {
    let connections = 0;
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.end('{"data":{}}'));
    });
    server.on('connection', () => connections++);
    const port = await listen(server, 0, '127.0.0.1');
    try {
      for (let i = 0; i < 3; i++) {
        const response = await postToSubgraph(`http://127.0.0.1:${port}/graphql`, { headers: {}, body: '{}', timeoutMs: 60_000 });
        expect(await response.json()).toEqual({ data: {} });
      }
      expect(connections).toBe(1);
    } finally {
      await closeServer(server);
    }
  });
});
