import { createServer } from 'node:net';
import { addressInUse, freePort } from '../lib/ports';

describe('ports for the processes a check starts', () => {
  it('never hands out the same port twice in one run, nor one of a running system', async () => {
    const taken = new Set<number>();
    const ports = await Promise.all(Array.from({ length: 20 }, () => freePort(taken)));
    expect(new Set(ports).size).toBe(20);
    expect(ports.every((p) => p < 4000 || p > 4108)).toBe(true);
    expect([...taken].sort()).toEqual([...ports].sort());
  });

  it('hands out a port that can be bound', async () => {
    const port = await freePort(new Set());
    const server = createServer();
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
    await new Promise((resolve) => server.close(resolve));
  });

  it('recognises what a process prints when its port was taken, and nothing else', () => {
    expect(addressInUse('Error: listen EADDRINUSE: address already in use 0.0.0.0:4001')).toBe(true);
    expect(addressInUse('network cannot start: the port is already in use (listen …); set PORT to a free one')).toBe(true);
    expect(addressInUse('Metrics port 4100 is in use; stop the other process or set METRICS_PORT.')).toBe(true);
    expect(addressInUse('connect ECONNREFUSED 127.0.0.1:5432')).toBe(false);
  });
});
