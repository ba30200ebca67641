import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import express from 'express';
import { closeServer, createLogger } from '@medcollab/kit';
import { errorHandler, responseDeadline } from '../src/timeout';

const STALL_MS = 5_000;

let server: Server;
let base: string;
let lateWriteFailed: Promise<void>;

beforeAll(async () => {
  const app = express();
  let signalLateWrite: () => void;
  lateWriteFailed = new Promise((resolve) => (signalLateWrite = resolve));
  // A handler that stalls far past the backstop and then tries to answer anyway.
  app.post('/stall', responseDeadline(100, 50), async (_req, res) => {
    await new Promise((r) => setTimeout(r, STALL_MS));
    try {
      res.status(200).json({ data: { late: true } });
    } finally {
      signalLateWrite();
    }
  });
  app.post('/json', express.json({ limit: '1kb' }), (_req, res) => void res.json({ ok: true }));
  app.use(errorHandler(createLogger('test', 'silent')));
  server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => closeServer(server));

describe('HTTP guards in front of Apollo', () => {
  it('answers a stalled request with a 504 GraphQL error, and drops the late answer quietly', async () => {
    const started = Date.now();
    const res = await fetch(`${base}/stall`, { method: 'POST' });
    expect(res.status).toBe(504);
    // Answered by the backstop, before the stalled handler ever tried to answer.
    expect(Date.now() - started).toBeLessThan(STALL_MS);
    expect(await res.json()).toEqual({
      errors: [{ message: 'The operation did not finish within 50 ms and was stopped', extensions: { code: 'GATEWAY_TIMEOUT' } }],
    });
    await lateWriteFailed;
    // The server is still fine after the late write was refused.
    expect((await fetch(`${base}/json`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(200);
  });

  it('answers an oversized body with a 413 GraphQL error', async () => {
    const res = await fetch(`${base}/json`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'x'.repeat(2_000) }),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ errors: [{ message: 'Request body too large', extensions: { code: 'BAD_REQUEST' } }] });
  });
});
