/**
 * An open-model load generator: requests leave at fixed, evenly spaced times whatever the
 * answers do, and each latency is measured from the time the request was due, so a server that
 * falls behind is charged for the requests it made wait (no coordinated omission).
 *
 * Why not autocannon's `overallRate`: autocannon 9 splits the rate over its connections and lets
 * each connection send its share back to back at the start of every second, then pause (a
 * per-connection counter reset by a 1 s interval). At 100 requests/s over 64 connections that is
 * a burst of ~100 concurrent requests each second, not 100 evenly spaced ones; and with a rate it
 * records each latency "with an expected interval" of ceil(1/rate) = 1 ms, adding one synthetic
 * sample per millisecond of every response, which weights the percentiles by latency. Both make
 * its fixed-rate p50/p99 describe bursts, not the arrival rate asked for.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';

export interface OpenLoopOptions {
  /** Requests per second, evenly spaced. */
  rate: number;
  seconds: number;
  /** A request still unanswered after this long counts as failed (its latency is not recorded). */
  timeoutMs?: number;
  /** Whether an HTTP 200 answer that carries GraphQL `errors` still counts as served (e.g. the policy's expected refusals). */
  acceptsErrors?: (body: string) => boolean;
}

export interface OpenLoopRequest {
  body: string;
  headers: Record<string, string>;
}

export interface OpenLoopResult {
  offered: number;
  answered: number;
  /** Connection errors, timeouts, non-2xx answers and HTTP 200 answers that carry GraphQL `errors`. */
  failed: number;
  /** Answered requests per second of the run. */
  achieved: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** The most requests in flight at once (how far the server fell behind). */
  maxInFlight: number;
}

/** Sends `rate × seconds` POST requests to `url`, one every 1/rate s, each built by `request()` when due. */
export async function openLoop(url: string, request: () => OpenLoopRequest, options: OpenLoopOptions): Promise<OpenLoopResult> {
  const target = new URL(url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  const timeoutMs = options.timeoutMs ?? 10_000;
  const total = Math.round(options.rate * options.seconds);
  const interval = 1000 / options.rate;
  const latencies: number[] = [];
  let failed = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  let settled = 0;
  const start = performance.now();

  return new Promise<OpenLoopResult>((resolve) => {
    const finish = () => {
      agent.destroy();
      latencies.sort((a, b) => a - b);
      const at = (q: number) =>
        latencies.length ? round(latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)]!) : NaN;
      resolve({
        offered: total,
        answered: latencies.length,
        failed,
        achieved: latencies.length / ((performance.now() - start) / 1000),
        p50: at(0.5),
        p90: at(0.9),
        p99: at(0.99),
        max: latencies.length ? round(latencies[latencies.length - 1]!) : NaN,
        maxInFlight,
      });
    };
    const done = (due: number, ok: boolean) => {
      inFlight -= 1;
      if (ok) latencies.push(performance.now() - due);
      else failed += 1;
      settled += 1;
      if (settled === total) finish();
    };
    const send = (due: number) => {
      const { body, headers } = request();
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const req = http.request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: `${target.pathname}${target.search}`,
          method: 'POST',
          headers: { ...headers, 'content-length': Buffer.byteLength(body) },
          timeout: timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks);
            const ok = res.statusCode === 200 && (!text.includes('"errors":') || (options.acceptsErrors?.(text.toString()) ?? false));
            done(due, ok);
          });
          res.on('error', () => done(due, false));
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => done(due, false));
      req.end(body);
    };
    let next = 0;
    // Wakes at the next due time and sends everything that is due (a late wake sends the
    // overdue requests at once; their latencies still count from when they were due).
    const tick = () => {
      const now = performance.now();
      while (next < total && start + next * interval <= now) {
        send(start + next * interval);
        next += 1;
      }
      if (next < total) setTimeout(tick, Math.max(0, start + next * interval - performance.now()));
    };
    if (total === 0) finish();
    else tick();
  });
}

const round = (ms: number) => Math.round(ms * 10) / 10;
