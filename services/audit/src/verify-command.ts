/**
 * Recomputes the audit trail's hash chains (ADR 0008) and reports the first broken link of each:
 *
 *   pnpm audit:verify [--institution <uuid> [--expect <position>:<hash>]] [--from <date or position>]
 *
 * The command `scripts/audit-verify.ts` reads the audit service's database (DATABASE_URL's server, database <DATABASE_PREFIX>_audit). A chain
 * pruned by retention is checked from its latest anchor; every checkpoint (ours, and the one the
 * institution received by webhook, given with --expect) must be an entry of the chain as it is. Months
 * retention moved to the audit_archive schema are verified with the rest. --from starts at a date
 * (the first entry recorded then or later) or, with --institution, a position, on the stored hash
 * of the entry before it. Exit 0 when every chain verifies, 1 when one does not (the entry's id,
 * position, expected and found hash are printed), 2 on bad usage.
 */
import { parseArgs } from 'node:util';
import { createDataSource, initializeDataSource } from '@medcollab/kit';
import { type ChainReport, verifyChains } from './data/verify';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CHECKPOINT = /^(\d+):([0-9a-f]{64})$/;
const POSITION = /^[1-9]\d{0,15}$/;
const DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;
export const VERIFY_USAGE = `Usage: pnpm audit:verify [--institution <uuid> [--expect <position>:<hash>]] [--from <date or position>]

Recomputes each institution's audit hash chain (or one institution's) and names the first broken link.
Months retention moved to the audit_archive schema are verified with the rest.
--expect checks the chain against a checkpoint the institution received by webhook (AUDIT_CHAIN_ANCHORED).
--from YYYY-MM-DD[THH:MM[:SS]Z] starts at the first entry recorded then or later (UTC); --from <position>
  (with --institution) at that entry. The stored hash of the entry before it is the starting point.
Exit codes: 0 every chain verifies, 1 a chain is broken (the entry is named), 2 bad usage.`;

/** --from: a position (one institution's) or an instant; undefined when malformed. */
function parseFrom(from: string, institution: string | undefined): { seq: number } | { recordedAt: Date } | undefined {
  if (POSITION.test(from)) return institution === undefined ? undefined : { seq: Number(from) };
  if (!DATE.test(from)) return undefined;
  const at = new Date(from.length === 10 ? `${from}T00:00:00Z` : from);
  // Date accepts 2026-02-30 as March 2nd: the day must survive the round trip.
  return Number.isNaN(at.getTime()) || (from.length === 10 && at.toISOString().slice(0, 10) !== from) ? undefined : { recordedAt: at };
}

const startOf = (r: ChainReport): string =>
  r.start.by === 'GENESIS' ? 'genesis' : r.start.by === 'ANCHOR' ? `anchor at position ${r.start.seq}` : `entry at position ${r.start.seq}`;

/** Where the command writes: the console, or a test's collector. */
export interface CommandOutput {
  log(line: string): void;
  error(line: string): void;
}

/**
 * The command's whole behaviour, on the audit database at `databaseUrl`: returns the exit code
 * (0 every chain verifies, 1 one is broken, 2 bad usage) after printing the report.
 */
export async function runVerifyCommand(argv: readonly string[], databaseUrl: string, print: CommandOutput = console): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    print.log(VERIFY_USAGE);
    return 0;
  }
  let values: { institution?: string; expect?: string; from?: string };
  try {
    values = parseArgs({
      args: [...argv],
      options: { institution: { type: 'string' }, expect: { type: 'string' }, from: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    print.error(`${(error as Error).message}\n\n${VERIFY_USAGE}`);
    return 2;
  }
  const expected = values.expect === undefined ? null : CHECKPOINT.exec(values.expect);
  const from = values.from === undefined ? undefined : parseFrom(values.from, values.institution);
  if (
    (values.institution !== undefined && !UUID.test(values.institution)) ||
    (values.expect !== undefined && (!expected || values.institution === undefined)) ||
    (values.from !== undefined && !from)
  ) {
    print.error(VERIFY_USAGE);
    return 2;
  }
  const dataSource = createDataSource({
    url: databaseUrl,
    entities: [],
    migrations: [],
    poolSize: 1,
  });
  await initializeDataSource(dataSource, { migrate: false });
  try {
    const reports = await verifyChains(dataSource, values.institution, expected ? [{ seq: Number(expected[1]), hash: expected[2]! }] : [], {
      from,
    });
    let broken = 0;
    for (const r of reports) {
      const from = startOf(r) + (r.archived ? `; ${r.archived} of them in archived months` : '');
      if (!r.broken && !r.checked && values.from !== undefined) {
        print.log(`institution ${r.institutionId}: no entries at or after ${values.from}`);
        continue;
      }
      if (!r.broken) {
        print.log(`institution ${r.institutionId}: ${r.checked} entries verify (from ${from})`);
        continue;
      }
      broken++;
      const b = r.broken;
      print.log(
        `institution ${r.institutionId}: BROKEN at entry ${b.entryId} (position ${b.seq}, ${b.problem}): expected ${b.expected}, found ${b.found}` +
          ` (${r.checked} entries before it verify, from ${from})`,
      );
    }
    if (!reports.length) print.log('No audit entries yet.');
    return broken ? 1 : 0;
  } finally {
    await dataSource.destroy();
  }
}
