import { join } from 'node:path';
import { MessageChannel, Worker } from 'node:worker_threads';
import { type SumCell } from '../domain/cell-sums';
import {
  type FromShare,
  type SharePort,
  serveShare,
  type ShareStream,
  type ShareTask,
  type ShareTimes,
  type ToShare,
} from './rebuild-share';

/** Pulls a stream keeps outstanding, so a share writes the next pieces while PostgreSQL parses these. */
const WINDOW = 4;

/** The rebuild's side of one share (rebuild-share.ts): its streams of COPY text (bytes), its fold's outcome, its cells of shared metrics. */
export interface ShareHandle {
  /** Aggregates folded so far (Learners included), as last reported. */
  readonly folded: number;
  /** The metrics its cells hold and its times, once its history is folded. */
  readonly done: Promise<{ metrics: string[]; times: ShareTimes }>;
  pieces(stream: ShareStream): AsyncGenerator<Uint8Array>;
  /** Hands over (and forgets) its cells of these metrics. */
  give(metrics: string[]): Promise<SumCell[]>;
  /** Adds another share's cells to its own. */
  take(cells: SumCell[]): Promise<void>;
  /** Ends the share (and its thread); safe to call after a failure. */
  close(): Promise<void>;
}

/** Starts the thread of a share (from TypeScript sources it registers tsx itself: the parent's loader hooks do not reach it). */
function startThread(task: ShareTask): Worker {
  if (__filename.endsWith('.ts')) {
    const entry = join(__dirname, 'rebuild-thread.ts');
    const loader = require.resolve('tsx/cjs');
    return new Worker(`require(${JSON.stringify(loader)}); require(${JSON.stringify(entry)});`, { eval: true, workerData: task });
  }
  return new Worker(join(__dirname, 'rebuild-thread.js'), { workerData: task });
}

/** Starts a share in a worker thread of its own, or (`threaded` false) in this thread over a MessageChannel: the same protocol. */
export function startShare(task: ShareTask, threaded: boolean, onProgress: () => void): ShareHandle {
  let failure: Error | undefined;
  const waiters = new Set<(error: Error) => void>();
  const fail = (error: Error) => {
    failure ??= error;
    const waiting = [...waiters];
    waiters.clear();
    for (const reject of waiting) reject(failure);
  };
  let send: (message: ToShare) => void;
  let stop: () => Promise<void>;
  let closing = false;
  const receive = (message: FromShare) => handle(message);
  if (threaded) {
    const worker = startThread(task);
    worker.on('message', receive);
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (!closing) fail(new Error(`a rebuild thread exited (code ${code}) before it was closed`));
    });
    send = (message) => worker.postMessage(message);
    stop = async () => {
      await worker.terminate();
    };
  } else {
    const { port1, port2 } = new MessageChannel();
    port1.on('message', receive);
    serveShare(port2 as unknown as SharePort, task);
    send = (message) => port1.postMessage(message);
    stop = async () => {
      port1.close();
      port2.close();
    };
  }

  // One request of each kind at a time: the rebuild awaits each.
  const replies = new Map<string, (message: FromShare) => void>();
  const request = <K extends FromShare['kind']>(message: ToShare, reply: K) =>
    new Promise<Extract<FromShare, { kind: K }>>((resolve, reject) => {
      if (failure) return reject(failure);
      const settle = (error?: Error) => {
        waiters.delete(onFailure);
        replies.delete(reply);
        return error;
      };
      const onFailure = (error: Error) => reject(settle(error));
      waiters.add(onFailure);
      replies.set(reply, (answer) => {
        settle();
        resolve(answer as Extract<FromShare, { kind: K }>);
      });
      send(message);
    });

  const streams = new Map<ShareStream, { pieces: Uint8Array[]; ended: boolean; wake?: () => void }>();
  const streamOf = (stream: ShareStream) => {
    let s = streams.get(stream);
    if (!s) streams.set(stream, (s = { pieces: [], ended: false }));
    return s;
  };
  let done!: { resolve: (value: { metrics: string[]; times: ShareTimes }) => void; reject: (error: Error) => void };
  const donePromise = new Promise<{ metrics: string[]; times: ShareTimes }>((resolve, reject) => (done = { resolve, reject }));
  // Awaited later; a failure before then must not count as unhandled.
  donePromise.catch(() => undefined);
  waiters.add((error) => done.reject(error));

  const share = {
    folded: 0,
    done: donePromise,
    async *pieces(stream: ShareStream): AsyncGenerator<Uint8Array> {
      const s = streamOf(stream);
      let outstanding = 0;
      for (;;) {
        if (failure) throw failure;
        for (; outstanding < WINDOW && !s.ended; outstanding++) send({ kind: 'pull', stream });
        const piece = s.pieces.shift();
        if (piece !== undefined) {
          outstanding -= 1;
          yield piece;
        } else if (s.ended) return;
        else
          await new Promise<void>((resolve, reject) => {
            const onFailure = (error: Error) => reject(error);
            waiters.add(onFailure);
            s.wake = () => {
              waiters.delete(onFailure);
              resolve();
            };
          });
      }
    },
    give: async (metrics: string[]) => (await request({ kind: 'give', metrics }, 'given')).cells,
    take: async (cells: SumCell[]) => void (await request({ kind: 'take', cells }, 'taken')),
    async close() {
      // A thread may exit on its own once closed.
      closing = true;
      if (!failure) await request({ kind: 'close' }, 'closed').catch(() => undefined);
      await stop();
    },
  };

  function handle(message: FromShare): void {
    if (message.kind === 'piece' || message.kind === 'end') {
      const s = streamOf(message.stream);
      if (message.kind === 'piece') s.pieces.push(message.bytes);
      else s.ended = true;
      const wake = s.wake;
      s.wake = undefined;
      wake?.();
    } else if (message.kind === 'progress') {
      share.folded = message.folded;
      onProgress();
    } else if (message.kind === 'folded') done.resolve({ metrics: message.metrics, times: message.times });
    else if (message.kind === 'error') fail(new Error(`a rebuild share failed: ${message.message}`));
    else replies.get(message.kind)?.(message);
  }
  return share;
}

/** The pieces of several streams as they come (COPY's rows may arrive in any order). */
export async function* interleaved<T>(sources: AsyncGenerator<T>[]): AsyncGenerator<T> {
  type Next = { index: number; result: IteratorResult<T> };
  const pending = new Map<number, Promise<Next>>();
  const ask = (index: number) =>
    pending.set(
      index,
      sources[index]!.next().then((result) => ({ index, result })),
    );
  sources.forEach((_, index) => ask(index));
  while (pending.size) {
    const { index, result } = await Promise.race(pending.values());
    if (result.done) {
      pending.delete(index);
      continue;
    }
    ask(index);
    yield result.value;
  }
}
