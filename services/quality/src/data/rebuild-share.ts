import { type ConnectionSettings, openSnapshotReader, type SnapshotReader } from '@medcollab/scale-world';
import { type SumCell } from '../domain/cell-sums';
import { type RollupSettings } from '../domain/contributions';
import { type SharePart } from '../domain/share-plan';
import { bucketLines, cellLines, factLine } from './cell-lines';
import { CopyWriter, type LineSource, piecesOf } from './copy-writer';
import { HistoryFold, type HeldRow } from './history-fold';

/**
 * One share of a rebuild (ADR 0046): some aggregate types of the history, read on a connection of
 * its own that imports the rebuild transaction's snapshot, folded into cells in memory, in a
 * worker thread of its own (or, for a small history, in the caller's). Everything it writes goes
 * to the rebuild's transaction as COPY's text format in bytes, pulled by the rebuild a piece at a time:
 * the facts while it folds, then its cells and their evaluators' buckets.
 */
export interface ShareTask {
  connection: ConnectionSettings;
  snapshot: string;
  /** What this share reads, part after part (with `learners`, Submission and PostProfile among them). */
  parts: SharePart[];
  learners: boolean;
  settings: RollupSettings;
  pageSize: number;
}

export type ShareStream = 'facts' | 'cells' | 'buckets';

/** Messages from the rebuild to a share. */
export type ToShare =
  { kind: 'pull'; stream: ShareStream } | { kind: 'give'; metrics: string[] } | { kind: 'take'; cells: SumCell[] } | { kind: 'close' };

/** How long a share spent waiting for pages and folding them (ms of its own thread). */
export interface ShareTimes {
  read: number;
  fold: number;
}

/** Messages from a share to the rebuild. */
export type FromShare =
  | { kind: 'piece'; stream: ShareStream; bytes: Uint8Array }
  | { kind: 'end'; stream: ShareStream }
  | { kind: 'progress'; folded: number }
  | { kind: 'folded'; metrics: string[]; times: ShareTimes }
  | { kind: 'given'; cells: SumCell[] }
  | { kind: 'taken' }
  | { kind: 'closed' }
  | { kind: 'error'; message: string };

/** A worker thread's `parentPort` or one end of a `MessageChannel`. */
export interface SharePort {
  postMessage(message: FromShare, transfer?: ArrayBuffer[]): void;
  on(event: 'message', listener: (message: ToShare) => void): unknown;
  close(): void;
}

/** Facts a share may hold ready before its fold waits for the rebuild to take them. */
const READY_LIMIT = 16;
/** Aggregate rows folded between two turns of the event loop (which let pages arrive and pieces go). */
const SLICE = 2_000;

const ZERO_UUID = '00000000-0000-0000-0000-000000000000';
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The pieces of one stream (COPY text as bytes, ADR 0061), sent as the rebuild pulls them: written ones first, then those of its source. */
class Outbox {
  private readonly writer = new CopyWriter();
  private readonly ready: Uint8Array[] = [];
  private pulls = 0;
  private ended = false;
  private sentEnd = false;
  private room: (() => void)[] = [];
  private source: Iterator<Uint8Array> | undefined;

  constructor(
    private readonly stream: ShareStream,
    private readonly send: (message: FromShare, transfer?: ArrayBuffer[]) => void,
  ) {}

  /** Adds lines (`write` writes them into the stream's writer); a full piece becomes ready. */
  lines(write: (out: CopyWriter) => void): void {
    write(this.writer);
    if (this.writer.ready) {
      this.ready.push(...this.writer.take());
      this.flush();
    }
  }

  /** Lines from a source, written only as pieces are pulled (the rebuild's COPY sets the pace). */
  from(source: LineSource): void {
    this.source = piecesOf(source, undefined, this.writer);
    this.flush();
  }

  end(): void {
    this.close();
    this.flush();
  }

  pull(): void {
    this.pulls += 1;
    this.flush();
  }

  /** Resolves once few enough pieces wait to be pulled. */
  async roomy(): Promise<void> {
    while (this.ready.length >= READY_LIMIT) await new Promise<void>((resolve) => this.room.push(resolve));
  }

  private close(): void {
    const last = this.writer.finish();
    if (last) this.ready.push(last);
    this.ended = true;
  }

  private flush(): void {
    while (this.pulls > 0 && !this.sentEnd) {
      if (!this.ready.length && this.source) this.fill();
      const bytes = this.ready.shift();
      if (bytes !== undefined) {
        // Transferred, not copied: the piece's buffer is its own and not written again.
        this.send({ kind: 'piece', stream: this.stream, bytes }, [bytes.buffer as ArrayBuffer]);
        this.pulls -= 1;
      } else if (this.ended) {
        this.send({ kind: 'end', stream: this.stream });
        this.sentEnd = true;
      } else break;
    }
    if (this.ready.length < READY_LIMIT) for (const wake of this.room.splice(0)) wake();
  }

  /** Takes the source's next piece, or ends the stream with it. */
  private fill(): void {
    const next = this.source!.next();
    if (next.done) {
      this.source = undefined;
      this.close();
    } else this.ready.push(next.value);
  }
}

/**
 * Serves one share on `port` until the rebuild closes it: folds the share's history (facts
 * pulled while it folds), says which metrics its cells hold, gives or takes the cells of metrics
 * another share also holds (so every cell is written once, by one share), then serves its cells
 * and buckets.
 */
export function serveShare(port: SharePort, task: ShareTask): void {
  const send = (message: FromShare, transfer?: ArrayBuffer[]) => port.postMessage(message, transfer);
  const outboxes: Record<ShareStream, Outbox> = {
    facts: new Outbox('facts', send),
    cells: new Outbox('cells', send),
    buckets: new Outbox('buckets', send),
  };
  const fold = new HistoryFold(task.settings, task.learners, (type, id, ids) =>
    outboxes.facts.lines((out) => factLine(out, type, id, ids)),
  );
  const started = new Set<ShareStream>(['facts']);
  port.on('message', (message: ToShare) => {
    try {
      if (message.kind === 'pull') {
        if (!started.has(message.stream)) {
          started.add(message.stream);
          // The first pull of the cells comes once cells of shared metrics have moved (give, take).
          const cells = fold.cells.view();
          outboxes[message.stream].from((out) => (message.stream === 'cells' ? cellLines(cells, out) : bucketLines(cells, out)));
        }
        outboxes[message.stream].pull();
      } else if (message.kind === 'give') {
        const cells = fold.cells.take(message.metrics);
        send({ kind: 'given', cells });
      } else if (message.kind === 'take') {
        fold.cells.merge(message.cells);
        send({ kind: 'taken' });
      } else {
        send({ kind: 'closed' });
        port.close();
      }
    } catch (error) {
      send({ kind: 'error', message: (error as Error).stack ?? String(error) });
    }
  });
  readAndFold(task, fold, outboxes.facts, send).catch((error: unknown) =>
    send({ kind: 'error', message: (error as Error).stack ?? String(error) }),
  );
}

/** Reads the share's history in keyset pages (the next page asked for before this one is folded) and folds it. */
async function readAndFold(task: ShareTask, fold: HistoryFold, facts: Outbox, send: (message: FromShare) => void): Promise<void> {
  const reader = await openSnapshotReader(task.connection, task.snapshot, 'quality-rebuild');
  const times: ShareTimes = { read: 0, fold: 0 };
  try {
    for (const part of task.parts) await readPart(reader, part, task.pageSize, times, fold, facts, send);
  } finally {
    await reader.close();
  }
  const started = performance.now();
  fold.end();
  times.fold += performance.now() - started;
  facts.end();
  send({ kind: 'progress', folded: fold.folded });
  send({ kind: 'folded', metrics: fold.cells.metrics(), times });
}

/** One part of a share's history, in keyset pages in the index's order: every row once; the next page is on its way while this one folds. */
async function readPart(
  reader: SnapshotReader,
  part: SharePart,
  pageSize: number,
  times: ShareTimes,
  fold: HistoryFold,
  facts: Outbox,
  send: (message: FromShare) => void,
): Promise<void> {
  const to = part.range?.to ?? null;
  const page = (after: readonly unknown[]) =>
    reader.query<HeldRow>(
      `SELECT event_id AS id, event_type AS type, sequence, occurred_at, payload, aggregate_type, aggregate_id FROM applied_event
        WHERE aggregate_type = ANY($1) AND (aggregate_type, aggregate_id, sequence, event_id) > ($2, $3, $4, $5::uuid)
          ${to === null ? '' : 'AND aggregate_id < $6'}
        ORDER BY aggregate_type, aggregate_id, sequence, event_id LIMIT ${pageSize}`,
      [part.types, ...after, ...(to === null ? [] : [to])],
    );
  // A range starts just before its first aggregate's first event.
  const from = part.range?.from ?? null;
  let next = page(from === null ? ['', '', 0, ZERO_UUID] : [part.types[0], from, -2_147_483_648, ZERO_UUID]);
  for (;;) {
    const waited = performance.now();
    const rows = await next;
    times.read += performance.now() - waited;
    const last = rows[rows.length - 1];
    if (last && rows.length === pageSize) next = page([last.aggregate_type, last.aggregate_id, last.sequence, last.id]);
    for (let i = 0; i < rows.length; i += SLICE) {
      const started = performance.now();
      for (const row of rows.slice(i, i + SLICE)) fold.add(row);
      times.fold += performance.now() - started;
      await facts.roomy();
      await turn();
    }
    send({ kind: 'progress', folded: fold.folded });
    if (rows.length < pageSize) return;
  }
}
