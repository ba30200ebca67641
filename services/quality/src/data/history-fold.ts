import { CellSums } from '../domain/cell-sums';
import { ROLLUP_AGGREGATES, type RollupSettings, type StoredEvent } from '../domain/contributions';
import { LEARNER_AGGREGATE, learnerContributions } from '../domain/learner-outcomes';
import { factIds, toStored } from './recompute';

/** A row of the history as a rebuild reads it, in aggregate order. */
export type HeldRow = { aggregate_type: string; aggregate_id: string; sequence: number } & Parameters<typeof toStored>[0];

/**
 * A rebuild's fold of (part of) the history (ADR 0032): rows come in aggregate order, a page at a
 * time, and an aggregate may straddle pages; each aggregate is folded as its last row is seen,
 * with the same pure functions incremental apply uses (`ROLLUP_AGGREGATES`), and summed into the
 * cells in memory (`CellSums`, typed arrays, ADR 0052: counts and sums in thousandths are integers, so the sums are
 * exact in any order). With `learners`, each student's assessments and every post profile are
 * gathered on the way and the Learners folded at the end (`learnerContributions`), from the same
 * events incremental apply reads (`learnerEventsOf`: post profiles, then the student's
 * assessments, each in aggregate order). `onFact` receives each aggregate's fact: its events' ids.
 */
export class HistoryFold {
  readonly cells = new CellSums();
  /** Aggregates folded so far, Learners included. */
  folded = 0;
  private group: HeldRow[] = [];
  private readonly submissions = new Map<string, StoredEvent[]>();
  private readonly profiles: StoredEvent[] = [];

  constructor(
    private readonly settings: RollupSettings,
    private readonly learners: boolean,
    private readonly onFact: (aggregateType: string, aggregateId: string, eventIds: string[]) => void,
  ) {}

  add(row: HeldRow): void {
    if (this.learners && (row.aggregate_type === 'PostProfile' || row.aggregate_type === 'Submission')) {
      const stored = toStored(row);
      if (row.aggregate_type === 'PostProfile') this.profiles.push(stored);
      else if (typeof row.payload.studentId === 'string') {
        const held = this.submissions.get(row.payload.studentId);
        if (held) held.push(stored);
        else this.submissions.set(row.payload.studentId, [stored]);
      }
    }
    if (!ROLLUP_AGGREGATES[row.aggregate_type]) return;
    const first = this.group[0];
    if (first && (first.aggregate_type !== row.aggregate_type || first.aggregate_id !== row.aggregate_id)) this.foldGroup();
    this.group.push(row);
  }

  /** The history has no more rows: folds the last aggregate, then the Learners. */
  end(): void {
    this.foldGroup();
    if (!this.learners) return;
    for (const [student, held] of [...this.submissions].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const events = [...this.profiles, ...held];
      this.cells.add(learnerContributions(student, events, this.settings));
      this.onFact(LEARNER_AGGREGATE, student, factIds(events));
      this.folded += 1;
    }
    this.submissions.clear();
  }

  private foldGroup(): void {
    const first = this.group[0];
    if (!first) return;
    const events = this.group.map(toStored);
    this.cells.add(ROLLUP_AGGREGATES[first.aggregate_type]!(events, this.settings));
    this.onFact(first.aggregate_type, first.aggregate_id, factIds(events));
    this.folded += 1;
    this.group = [];
  }
}
