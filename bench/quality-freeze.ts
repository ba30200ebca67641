/**
 * The worker's snapshot sweep on a generated history (bench/quality.ts `--freeze`): freezeDuePeriods as
 * the job scheduler runs it once the academic year has ended. Round 0 freezes every block, term and
 * the year as revision 0 (each canonical report decided as a live read, ADR 0012); each later round
 * first applies `late` more placements through the consumer (late events of the frozen periods) and
 * sweeps again: revision r of every period they changed, decided against its r earlier revisions,
 * at the network with each module pair one system (domain/revision-protection.ts, ADR 0053).
 * Prints each round's wall time, each kind of period's time, and the network year's own time with
 * the cells and marks its revision holds.
 */
import { type DataSource } from 'typeorm';
import { type createConsumer, type EventEnvelope } from '@medcollab/events';
import { freezeDuePeriods, freezeRevision } from '@medcollab/quality';
// The history generator is the one quality's property tests use; it is test support, not the service's API.
// eslint-disable-next-line no-restricted-imports
import { type makeNetwork, placementHistory } from '../services/quality/test/support/generate';

const DAY_MS = 86_400_000;
/** The generated blocks fall in academic year 2026-2027 (September to August). */
const YEAR = { kind: 'YEAR' as const, id: '2026-2027' };
/** The first sweep's day: the year's last day (31 August) plus the grace days is over in every zone. */
const FIRST_SWEEP = Date.parse('2027-09-02T00:00:00Z');

export interface FreezeOptions {
  /** Placements applied late before each round after the first. */
  late: number;
  /** Rounds after the first (revisions 1…rounds of the periods the late placements change). */
  rounds: number;
  /** k, and the grace days after a period's last day (QUALITY_SNAPSHOT_GRACE_DAYS). */
  k: number;
  graceDays: number;
  /**
   * Only the network year, each round one `freezeRevision` in a transaction holding the rebuild lock, as the sweep
   * freezes each period (its blocks and terms stay open, so their marks do not bind the year): the year's revisions
   * in minutes where a whole sweep of a loaded machine takes tens.
   */
  yearOnly: boolean;
  /** Placement numbers from here on are this bench's own (the generator's `n`). */
  firstPlacement: number;
  load: () => string;
}

export async function timedFreezes(
  ds: DataSource,
  consumer: ReturnType<typeof createConsumer>,
  net: ReturnType<typeof makeNetwork>,
  rand: () => number,
  o: FreezeOptions,
): Promise<void> {
  for (let round = 0; round <= o.rounds; round++) {
    let lateEvents = 0;
    if (round > 0) {
      const late = Array.from({ length: o.late }, (_, n) =>
        placementHistory(net, o.firstPlacement + round * o.late + n, rand, `late${round}`),
      );
      for (const e of late.flat() as EventEnvelope[]) await consumer.apply({ envelope: e, previousEventId: null });
      lateEvents = late.reduce((s, h) => s + h.length, 0);
    }
    // Each period is frozen in a transaction of its own; its time runs to its publication (onPublished, in that
    // transaction) from the previous one's, or from the sweep's start for the first (which includes finding the due periods).
    const times: { period: string; ms: number }[] = [];
    const started = performance.now();
    let last = started;
    const now = new Date(FIRST_SWEEP + (o.graceDays + round) * DAY_MS);
    let cpu = process.cpuUsage();
    const published = (period: { kind: string; id: string }) => {
      const t = performance.now();
      const used = process.cpuUsage(cpu);
      cpu = process.cpuUsage();
      times.push({ period: `${period.kind} ${period.id}`, ms: t - last });
      // One line per period as it goes: a sweep of a large history takes minutes.
      console.log(
        `freeze ${o.yearOnly ? 'year' : 'sweep'} round ${round}: ${period.kind} ${period.id} in ${((t - last) / 1000).toFixed(1)} s (this process's CPU ${((used.user + used.system) / 1e6).toFixed(1)} s); load ${o.load()}`,
      );
      last = t;
    };
    if (o.yearOnly)
      await ds.transaction(async (em) => {
        await em.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['quality:rebuild']);
        if ((await freezeRevision(em, YEAR, now, o.k)) !== null) published(YEAR);
      });
    else await freezeDuePeriods(ds, now, o.k, o.graceDays, async (_em, period) => published(period));
    const total = performance.now() - started;
    const byKind = ['BLOCK', 'TERM', 'YEAR'].map((kind) => {
      const mine = times.filter((t) => t.period.startsWith(`${kind} `)).map((t) => t.ms);
      return `${mine.length} ${kind.toLowerCase()}${mine.length === 1 ? '' : 's'} ${(mine.reduce((s, ms) => s + ms, 0) / 1000).toFixed(1)} s (max ${((mine.length ? Math.max(...mine) : 0) / 1000).toFixed(1)} s)`;
    });
    const year = times.find((t) => t.period === `${YEAR.kind} ${YEAR.id}`);
    const [held] = (await ds.query(
      `SELECT s.revision, s.changed_cells AS changed,
              (SELECT count(*)::int FROM quality_snapshot_cell c WHERE (c.period_kind, c.period_id, c.revision) = (s.period_kind, s.period_id, s.revision)) AS cells,
              (SELECT count(*)::int FROM quality_snapshot_mark m WHERE (m.period_kind, m.period_id, m.revision) = (s.period_kind, s.period_id, s.revision)) AS marks,
              (SELECT count(*)::int FROM quality_snapshot_mark m WHERE (m.period_kind, m.period_id, m.revision) = (s.period_kind, s.period_id, s.revision)
                  AND m.root = 'NETWORK:network') AS "networkMarks"
         FROM quality_snapshot s WHERE s.period_kind = $1 AND s.period_id = $2 ORDER BY s.revision DESC LIMIT 1`,
      [YEAR.kind, YEAR.id],
    )) as { revision: number; changed: number; cells: number; marks: number; networkMarks: number }[];
    const yearLine = year
      ? `the network year ${YEAR.id}: revision ${held?.revision} in ${(year.ms / 1000).toFixed(1)} s (${held?.cells} cells copied, ${held?.changed} changed; ${held?.marks} marks, ${held?.networkMarks} of them the network report's)`
      : `the year ${YEAR.id} not frozen in this round`;
    console.log(
      `freeze ${o.yearOnly ? 'year' : 'sweep'} round ${round}${round > 0 ? ` (${o.late} placements late, ${lateEvents} events)` : ''}: ${times.length} periods in ${(total / 1000).toFixed(1)} s — ${byKind.join(', ')}; ${yearLine}; load ${o.load()}`,
    );
  }
}
