/** How a micro-batcher gathers items: at most `maxSize` per batch, waiting at most `waitMs` for more. */
export interface MicroBatchSettings {
  maxSize: number;
  waitMs: number;
  /** Batches run at once (each holds a database connection); the rest wait. Default 4. */
  maxInFlight?: number;
}

export interface MicroBatcher<I, O> {
  /** Resolves with this item's result once its batch ran (or with its own run when the batch failed). */
  submit(item: I): Promise<O>;
}

/**
 * Gathers items submitted one at a time (one per BullMQ job in flight) into batches run at once:
 * a batch leaves when it is full or `waitMs` after its first item. When the batch run throws,
 * every item runs again alone through `single`, so one bad item fails only its own submitter;
 * `runBatch` must therefore be all-or-nothing (one transaction).
 */
export function createMicroBatcher<I, O>(
  settings: MicroBatchSettings,
  runBatch: (items: I[]) => Promise<O[]>,
  single: (item: I) => Promise<O>,
  onBatchFailed?: (error: unknown, size: number) => void,
): MicroBatcher<I, O> {
  type Pending = { item: I; resolve: (o: O) => void; reject: (e: unknown) => void };
  const pending: Pending[] = [];
  let timer: NodeJS.Timeout | undefined;
  let inFlight = 0;
  const maxInFlight = settings.maxInFlight ?? 4;

  async function run(batch: Pending[]): Promise<void> {
    if (batch.length === 1) {
      const [only] = batch;
      return single(only!.item).then(only!.resolve, only!.reject);
    }
    let results: O[];
    try {
      results = await runBatch(batch.map((p) => p.item));
    } catch (error) {
      onBatchFailed?.(error, batch.length);
      // One by one, each in its own transaction: the good ones apply, the bad one fails alone.
      for (const p of batch) await single(p.item).then(p.resolve, p.reject);
      return;
    }
    batch.forEach((p, i) => p.resolve(results[i]!));
  }

  function flush(): void {
    if (timer) clearTimeout(timer);
    timer = undefined;
    // Full up: what is pending leaves when a running batch finishes (and grows meanwhile).
    if (!pending.length || inFlight >= maxInFlight) return;
    const batch = pending.splice(0, settings.maxSize);
    inFlight++;
    void run(batch).finally(() => {
      inFlight--;
      schedule();
    });
    schedule();
  }

  function schedule(): void {
    if (pending.length >= settings.maxSize) flush();
    else if (pending.length) timer ??= setTimeout(flush, settings.waitMs);
  }

  return {
    submit(item) {
      return new Promise<O>((resolve, reject) => {
        pending.push({ item, resolve, reject });
        schedule();
      });
    },
  };
}
