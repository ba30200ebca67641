import { type Server } from 'node:http';
import { type AddressInfo } from 'node:net';

/**
 * How long a server keeps an idle kept-alive connection. Node's default (5 s) lets a client reuse a
 * socket at the moment the server closes it, and the request fails with ECONNRESET; under load
 * (seen with two test suites on two cores) that race became frequent. Callers close their idle
 * sockets well before this (the gateway after 30 s), and 65 s outlasts the usual 60 s idle
 * timeout of load balancers in front of a service.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/** Listens on `port` (0 picks a free one) and resolves with the port actually bound. */
export function listen(server: Server, port: number, host = '0.0.0.0'): Promise<number> {
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Stops accepting connections and waits for open ones (closing idle keep-alives at once). */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeIdleConnections();
  });
}
