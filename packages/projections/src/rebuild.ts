import { type EVENT_CONTRACTS, type PayloadOf } from '@medcollab/events';
import { type DataSource, type EntityManager } from 'typeorm';
import {
  type NetworkFact,
  NETWORK_FACT_EVENTS,
  projectAgreementActivated,
  projectAgreementEnded,
  projectStaff,
  projectStaffStatus,
  projectStudent,
  projectStudentStatus,
} from './handlers';
import { FACT_TABLES } from './migrations';

type Contracts = typeof EVENT_CONTRACTS;
export type FactEventType = (typeof NETWORK_FACT_EVENTS)[NetworkFact][number];

/** One of the network's events, as the owner states it now (see networkFactSnapshot in the network service). */
export type FactEvent = { [K in FactEventType]: { type: K; payload: PayloadOf<Contracts[K]> } }[FactEventType];

export interface RebuildReport {
  facts: NetworkFact[];
  /** Rows in each table before the rebuild. */
  before: Record<string, number>;
  /** Rows in each table after it. */
  after: Record<string, number>;
  /** Events applied. */
  applied: number;
}

async function apply(em: EntityManager, e: FactEvent): Promise<void> {
  switch (e.type) {
    case 'StudentRegistered':
    case 'StudentUpdated':
      return projectStudent(em, e.payload);
    case 'StudentStatusChanged':
      return projectStudentStatus(em, e.payload);
    case 'StaffRegistered':
    case 'StaffUpdated':
      return projectStaff(em, e.payload);
    case 'StaffStatusChanged':
      return projectStaffStatus(em, e.payload);
    case 'AgreementActivated':
      return projectAgreementActivated(em, e.payload);
    case 'AgreementEnded':
      return projectAgreementEnded(em, e.payload);
  }
}

async function counts(em: EntityManager, facts: readonly NetworkFact[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const fact of facts) {
    const [row] = (await em.query(`SELECT count(*)::int AS n FROM ${FACT_TABLES[fact]}`)) as { n: number }[];
    out[FACT_TABLES[fact]] = row?.n ?? 0;
  }
  return out;
}

/**
 * Rebuilds a service's tables of `facts` from the owner's events, in the caller's transaction:
 * the tables are locked against the worker (which waits, then applies what arrived meanwhile:
 * the handlers are idempotent upserts of whole records), emptied, and refilled by the same
 * handlers the worker runs. Only the projections change: a service's own effects of these
 * events (cancelled placements, reassigned tasks) are not replayed. `events` is read after the
 * lock is taken, so pass a function that loads them.
 */
export async function rebuildFacts(
  em: EntityManager,
  facts: readonly NetworkFact[],
  loadEvents: () => Promise<Iterable<FactEvent>>,
): Promise<RebuildReport> {
  const tables = facts.map((f) => FACT_TABLES[f]);
  await em.query(`LOCK TABLE ${tables.join(', ')} IN EXCLUSIVE MODE`);
  const before = await counts(em, facts);
  const wanted = new Set<string>(facts.flatMap((f) => NETWORK_FACT_EVENTS[f]));
  for (const table of tables) await em.query(`DELETE FROM ${table}`);
  let applied = 0;
  for (const e of await loadEvents()) {
    if (!wanted.has(e.type)) continue;
    await apply(em, e);
    applied++;
  }
  return { facts: [...facts], before, after: await counts(em, facts), applied };
}

/** The facts a consumer's handlers keep: those whose first event (registration, activation) it handles. */
export function factsKeptBy(handlers: Partial<Record<string, unknown>>): NetworkFact[] {
  return (Object.keys(NETWORK_FACT_EVENTS) as NetworkFact[]).filter((fact) => Object.hasOwn(handlers, NETWORK_FACT_EVENTS[fact][0]));
}

class RolledBack extends Error {
  constructor(readonly report: RebuildReport) {
    super('rolled back (dry run)');
  }
}

/**
 * Rebuilds `consumer`'s projections of `facts` in one transaction of its database, replaying
 * what `snapshot` reads from the owner (the network's networkFactSnapshot, in a REPEATABLE READ
 * transaction of the network's database). Readers see the old rows until the commit, then the
 * new. `dryRun` rolls the transaction back and only reports.
 */
export async function rebuildFromOwner(
  consumer: DataSource,
  facts: readonly NetworkFact[],
  snapshot: (facts: readonly NetworkFact[]) => Promise<FactEvent[]>,
  opts: { dryRun?: boolean } = {},
): Promise<RebuildReport & { dryRun: boolean }> {
  try {
    const report = await consumer.transaction(async (em) => {
      const r = await rebuildFacts(em, facts, () => snapshot(facts));
      if (opts.dryRun) throw new RolledBack(r);
      return r;
    });
    return { ...report, dryRun: false };
  } catch (error) {
    if (error instanceof RolledBack) return { ...error.report, dryRun: true };
    throw error;
  }
}
