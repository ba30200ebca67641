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
  const [result] = await interleavedOpenLoop([{ url, request }], options);
  return result!;
}

export interface OpenLoopTarget {
  url: string;
  request: () => OpenLoopRequest;
}

/**
 * One open loop over several targets: `rate × seconds` requests in all, one every 1/rate s, the
 * i-th to target i mod n, so the targets take turns request by request and meet the same machine
 * load (on a shared machine whose load moves by the second, a comparison of targets measured one
 * after the other compares the neighbours' work as much as the targets). Each target has its own
 * kept-alive sockets and its own figures, in the order given.
 */
export async function interleavedOpenLoop(targets: OpenLoopTarget[], options: OpenLoopOptions): Promise<OpenLoopResult[]> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const total = Math.round(options.rate * options.seconds);
  const interval = 1000 / options.rate;
  const states = targets.map((t) => ({
    ...t,
    where: new URL(t.url),
    agent: new http.Agent({ keepAlive: true, maxSockets: Infinity }),
    latencies: [] as number[],
    offered: 0,
    failed: 0,
    inFlight: 0,
    maxInFlight: 0,
  }));
  let settled = 0;
  const start = performance.now();

  return new Promise<OpenLoopResult[]>((resolve) => {
    const finish = () => {
      const elapsed = (performance.now() - start) / 1000;
      resolve(
        states.map((s) => {
          s.agent.destroy();
          const latencies = s.latencies.sort((a, b) => a - b);
          const at = (q: number) =>
            latencies.length ? round(latencies[Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1)]!) : NaN;
          return {
            offered: s.offered,
            answered: latencies.length,
            failed: s.failed,
            achieved: latencies.length / elapsed,
            p50: at(0.5),
            p90: at(0.9),
            p99: at(0.99),
            max: latencies.length ? round(latencies[latencies.length - 1]!) : NaN,
            maxInFlight: s.maxInFlight,
          };
        }),
      );
    };
    const done = (s: (typeof states)[number], due: number, ok: boolean) => {
      s.inFlight -= 1;
      if (ok) s.latencies.push(performance.now() - due);
      else s.failed += 1;
      settled += 1;
      if (settled === total) finish();
    };
    const send = (s: (typeof states)[number], due: number) => {
      const { body, headers } = s.request();
      s.offered += 1;
      s.inFlight += 1;
      s.maxInFlight = Math.max(s.maxInFlight, s.inFlight);
      const req = http.request(
        {
          agent: s.agent,
          host: s.where.hostname,
          port: s.where.port,
          path: `${s.where.pathname}${s.where.search}`,
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
            done(s, due, ok);
          });
          res.on('error', () => done(s, due, false));
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => done(s, due, false));
      req.end(body);
    };
    let next = 0;
    // Wakes at the next due time and sends everything that is due (a late wake sends the
    // overdue requests at once; their latencies still count from when they were due).
    const tick = () => {
      const now = performance.now();
      while (next < total && start + next * interval <= now) {
        send(states[next % states.length]!, start + next * interval);
        next += 1;
      }
      if (next < total) setTimeout(tick, Math.max(0, start + next * interval - performance.now()));
    };
    if (total === 0 || states.length === 0) finish();
    else tick();
  });
}

const round = (ms: number) => Math.round(ms * 10) / 10;
