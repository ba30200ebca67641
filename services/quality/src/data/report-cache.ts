import { type DataSource, type EntityManager } from 'typeorm';
import { EVERYTHING } from '../domain/generations';
import { readGenerations } from './generations';

/**
 * A cross-request cache of canonical reports, ALREADY PROTECTED (ADR 0020). An entry is stored
 * under the generation counters read BEFORE it was computed and served only while they are
 * unchanged: every change to what a report is computed from bumps them in its own transaction,
 * so an entry is never served after a change committed (a change that commits while a report
 * is being computed leaves it stored under the older stamp, hence unused). No time-to-live.
 *
 * Callers authorize first and key by what the caller may see (cohort and canonical root); the
 * cache holds no raw figures and nothing per caller. Entries are shared objects: read-only.
 * Concurrent misses of one key and stamp share one computation.
 */
export const REPORT_CACHE_ENTRIES = 256;
/**
 * What the entries may weigh together (`weigh`: figures, about 300 bytes each with their
 * distribution): ~150 MB. A hospital's year report is a few thousand figures, the network's of
 * every student tens of thousands.
 */
export const REPORT_CACHE_WEIGHT = 500_000;

interface Entry<T> {
  stamp: string;
  value: Promise<T>;
  weight: number;
}

export class ReportCache {
  private readonly entries = new Map<string, Entry<unknown>>();
  private weight = 0;
  /** Hits and misses since start (the bench and tests read them). */
  readonly stats = { hits: 0, misses: 0 };

  constructor(
    private readonly capacity = REPORT_CACHE_ENTRIES,
    private readonly budget = REPORT_CACHE_WEIGHT,
  ) {}

  /** The value of `key` computed under the current counters of `scopes` (and EVERYTHING); `weigh` tells its size. */
  async get<T>(
    em: EntityManager,
    key: string,
    scopes: readonly string[],
    compute: () => Promise<T>,
    weigh: (value: T) => number = () => 1,
  ): Promise<T> {
    const stamp = await readGenerations(em, [EVERYTHING, ...scopes]);
    const found = this.entries.get(key);
    if (found && found.stamp === stamp) {
      // Most recently used last: Map keeps insertion order, so eviction takes the first.
      this.entries.delete(key);
      this.entries.set(key, found);
      this.stats.hits++;
      return found.value as Promise<T>;
    }
    this.stats.misses++;
    const value = compute();
    const entry: Entry<unknown> = { stamp, value, weight: 0 };
    this.remove(key);
    this.entries.set(key, entry);
    this.evict();
    value.then(
      (v) => {
        if (this.entries.get(key) !== entry) return;
        entry.weight = weigh(v);
        this.weight += entry.weight;
        this.evict();
      },
      // A failed computation is not kept.
      () => {
        if (this.entries.get(key) === entry) this.remove(key);
      },
    );
    return value;
  }

  clear(): void {
    this.entries.clear();
    this.weight = 0;
  }

  private remove(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.weight -= entry.weight;
    this.entries.delete(key);
  }

  /** Least recently used first, until within both limits (the newest entry stays, whatever it weighs). */
  private evict(): void {
    while (this.entries.size > 1 && (this.entries.size > this.capacity || this.weight > this.budget))
      this.remove(this.entries.keys().next().value as string);
  }
}

const caches = new WeakMap<DataSource, ReportCache>();

/** The process's cache for a database (one per DataSource: tests with their own databases never share entries). */
export function reportCacheOf(ds: DataSource): ReportCache {
  let cache = caches.get(ds);
  if (!cache) {
    cache = new ReportCache();
    caches.set(ds, cache);
  }
  return cache;
}
