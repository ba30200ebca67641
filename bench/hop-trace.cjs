/* global require, module, process, performance, console, setInterval */
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS preload (--require), so it runs before tsx loads the gateway */
/**
 * Where the gateway's wall time goes per request, by timestamps inside the process (session 13,
 * ADR 0071). A preload for `pnpm bench:operations`, active only in our gateway's process:
 *
 *   NODE_OPTIONS="--require $PWD/bench/hop-trace.cjs" HOP_TRACE_DIR=/tmp/t pnpm bench:operations …
 *   node bench/hop-trace.cjs /tmp/t/hop-trace-<pid>.json      # p50 / p90 per phase of each run
 *
 * Per client request: t0 its 'request' event (headers parsed), t1 the subgraph request handed to
 * the socket, t2 the subgraph's answer read to its end, t3 the client's answer ended. pre = t1 − t0
 * (body, parse, token, variables, cost, signing), subgraph = t2 − t1 (the subgraph's round trip as
 * the gateway sees it), post = t3 − t2 (back to the client). Rows are written every 5 s.
 */
const fs = require('node:fs');

function install() {
  const http = require('node:http');
  const { AsyncLocalStorage } = require('node:async_hooks');
  const als = new AsyncLocalStorage();
  const rows = [];
  const emit = http.Server.prototype.emit;
  http.Server.prototype.emit = function (type, req) {
    if (type !== 'request' || !String(req.url).endsWith('/graphql')) return emit.apply(this, arguments);
    const row = { t0: performance.now() };
    rows.push(row);
    return als.run(row, () => emit.apply(this, arguments));
  };
  const request = http.request;
  http.request = function () {
    const row = als.getStore();
    const req = request.apply(this, arguments);
    if (row) {
      const end = req.end;
      req.end = function () {
        const result = end.apply(this, arguments);
        row.t1 = performance.now();
        return result;
      };
      req.on('response', (res) => res.on('end', () => (row.t2 = performance.now())));
    }
    return req;
  };
  const resEnd = http.ServerResponse.prototype.end;
  http.ServerResponse.prototype.end = function () {
    const row = als.getStore();
    const result = resEnd.apply(this, arguments);
    if (row && row.t3 === undefined) row.t3 = performance.now();
    return result;
  };
  const file = `${process.env.HOP_TRACE_DIR || '/tmp'}/hop-trace-${process.pid}.json`;
  const dump = () => fs.writeFileSync(file, JSON.stringify(rows));
  setInterval(dump, 5000).unref();
  process.on('exit', dump);
}

/** Runs separated by > 1.5 s without a request; the percentiles of each phase per run. */
function summarise(file) {
  const rows = JSON.parse(fs.readFileSync(file, 'utf8')).filter((r) => r.t1 && r.t2 && r.t3);
  const runs = [];
  for (const r of rows) {
    const run = runs[runs.length - 1];
    if (run && r.t0 - run[run.length - 1].t0 <= 1500) run.push(r);
    else runs.push([r]);
  }
  const at = (xs, q) => xs.sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))].toFixed(2);
  const phase = (run, f) => `${at(run.map(f), 0.5)} / ${at(run.map(f), 0.9)}`;
  for (const run of runs.filter((x) => x.length >= 50)) {
    const seconds = (run[run.length - 1].t0 - run[0].t0) / 1000;
    console.log(
      `${run.length} requests, ${(run.length / seconds).toFixed(0)}/s; p50 / p90 ms: pre ${phase(run, (r) => r.t1 - r.t0)}, ` +
        `subgraph ${phase(run, (r) => r.t2 - r.t1)}, post ${phase(run, (r) => r.t3 - r.t2)}, in the gateway ${phase(run, (r) => r.t3 - r.t0)}`,
    );
  }
}

if (require.main === module) summarise(process.argv[2]);
else if (process.argv.some((a) => a.endsWith('gateway/src/index.ts'))) install();
