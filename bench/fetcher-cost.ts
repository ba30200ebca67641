/**
 * CPU per subgraph request of the gateway's two ways of sending one (ADR 0024): Node's fetch
 * (what the gateway used) against `postToSubgraph` (node:http over kept-alive sockets), both
 * reading a JSON answer the size of the block board's rotations fetch. The answering server runs
 * in a child process, so this process's CPU time is the client's alone; CPU time rather than
 * wall time, so the figure holds on a loaded machine.
 * Usage: pnpm --filter @medcollab/bench exec tsx fetcher-cost.ts [--requests 3000] [--concurrency 8]
 */
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { postToSubgraph } from '@medcollab/gateway';

const { values } = parseArgs({ options: { requests: { type: 'string', default: '3000' }, concurrency: { type: 'string', default: '8' } } });
const requests = Number(values.requests);
const concurrency = Number(values.concurrency);

// ~20 KB, like 100 placements with their ids.
const SERVER = `
const body = JSON.stringify({ data: { placements: { totalCount: 100, edges: Array.from({ length: 100 }, (_, i) => ({ node: {
  __typename: 'Placement', id: 'p-' + i, status: 'CONFIRMED', startsOn: '2026-01-05', endsOn: '2026-02-01',
  studentId: '00000000-0000-4000-8000-' + String(i).padStart(12, '0'), departmentId: 'd', hospitalId: 'h' } })) } } });
require('node:http').createServer((req, res) => { req.resume(); req.on('end', () => {
  res.writeHead(200, { 'content-type': 'application/json' }); res.end(body); }); })
  .listen(0, '127.0.0.1', function () { console.log(this.address().port); });`;

const query = JSON.stringify({ query: 'query BlockBoard__rotations__0 { placements { totalCount } }', variables: { first: 100 } });
const headers = { 'content-type': 'application/json', 'x-medcollab-actor': 'e30', 'x-medcollab-signature': 'x'.repeat(64) };

type Send = (url: string) => Promise<unknown>;
const viaFetch: Send = async (url) => {
  const res = await fetch(url, { method: 'POST', headers, body: query, signal: AbortSignal.timeout(10_000) });
  return res.json();
};
const viaHttp: Send = async (url) => (await postToSubgraph(url, { method: 'POST', headers, body: query, timeoutMs: 10_000 })).json();

async function measure(send: Send, url: string): Promise<number> {
  let next = 0;
  const worker = async () => {
    while (next++ < requests) await send(url);
  };
  await Promise.all(Array.from({ length: concurrency }, worker)); // warm-up round
  next = 0;
  const before = process.cpuUsage();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 / requests;
}

async function main(): Promise<void> {
  const server = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve) => server.stdout.once('data', (d: Buffer) => resolve(d.toString().trim())));
  const url = `http://127.0.0.1:${port}/graphql`;
  try {
    // Alternate, twice each, so a change of machine load does not favour one of them.
    const rows: [string, number][] = [];
    for (const round of [1, 2])
      for (const [name, send] of [
        ['fetch', viaFetch],
        ['node:http', viaHttp],
      ] as const)
        rows.push([`${name} (round ${round})`, await measure(send, url)]);
    for (const [name, ms] of rows) console.log(`${name.padEnd(22)} ${ms.toFixed(3)} ms CPU per request`);
  } finally {
    server.kill();
  }
}

void main();
