import { createServer } from 'node:net';

/** The ports a system started on this machine with `pnpm start` listens on (gateway 4000, subgraphs, metrics 4100…). */
const SYSTEM_PORTS = { from: 4000, to: 4108 };

/**
 * A port free at the moment of asking, never one already in `taken` (which it joins), nor one of
 * a running system's. Free now is not free later: whoever binds it must be ready to meet
 * EADDRINUSE and ask again (another process, or an outgoing connection's local port, can take
 * it first), see {@link addressInUse}.
 */
export async function freePort(taken: Set<number>): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const probe = createServer();
      probe.once('error', reject);
      probe.listen(0, '127.0.0.1', () => {
        const { port: p } = probe.address() as { port: number };
        probe.close(() => resolve(p));
      });
    });
    if (!taken.has(port) && (port < SYSTEM_PORTS.from || port > SYSTEM_PORTS.to)) return (taken.add(port), port);
  }
}

/** True when a process's output says it could not listen because its port was taken. */
export const addressInUse = (output: string): boolean => /EADDRINUSE|already in use|is in use/i.test(output);
