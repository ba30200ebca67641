/**
 * Recomputes the audit trail's hash chains (ADR 0008) and reports the first broken link of each:
 *
 *   pnpm audit:verify [--institution <uuid> [--expect <position>:<hash>]]
 *
 * Reads the audit service's database (DATABASE_URL's server, database medcollab_audit). A chain
 * pruned by retention is checked from its latest anchor; every checkpoint (ours, and the one the
 * institution received by webhook, given with --expect) must be an entry of the chain as it is. Exit 0 when every chain verifies, 1 when
 * one does not (the entry's id, position, expected and found hash are printed), 2 on bad usage.
 */
import {
  baseConfigShape,
  createDataSource,
  initializeDataSource,
  loadConfig,
  parseCommandLine,
  serviceDatabaseName,
  withDatabase,
} from '@medcollab/kit';
import { verifyChains } from '@medcollab/audit';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CHECKPOINT = /^(\d+):([0-9a-f]{64})$/;
const USAGE = `Usage: pnpm audit:verify [--institution <uuid> [--expect <position>:<hash>]]

Recomputes each institution's audit hash chain (or one institution's) and names the first broken link.
--expect checks the chain against a checkpoint the institution received by webhook (AUDIT_CHAIN_ANCHORED).`;

async function main(): Promise<number> {
  const values = parseCommandLine(USAGE, { institution: { type: 'string' }, expect: { type: 'string' } });
  const expected = values.expect === undefined ? null : CHECKPOINT.exec(values.expect);
  if (
    (values.institution !== undefined && !UUID.test(values.institution)) ||
    (values.expect !== undefined && (!expected || values.institution === undefined))
  ) {
    console.error(USAGE);
    return 2;
  }
  const config = loadConfig(baseConfigShape);
  const dataSource = createDataSource({
    url: withDatabase(config.DATABASE_URL, serviceDatabaseName('audit')),
    entities: [],
    migrations: [],
    poolSize: 1,
  });
  await initializeDataSource(dataSource, { migrate: false });
  try {
    const reports = await verifyChains(dataSource, values.institution, expected ? [{ seq: Number(expected[1]), hash: expected[2]! }] : []);
    let broken = 0;
    for (const r of reports) {
      const from = r.anchorSeq === null ? 'genesis' : `anchor at position ${r.anchorSeq}`;
      if (!r.broken) {
        console.log(`institution ${r.institutionId}: ${r.checked} entries verify (from ${from})`);
        continue;
      }
      broken++;
      const b = r.broken;
      console.log(
        `institution ${r.institutionId}: BROKEN at entry ${b.entryId} (position ${b.seq}, ${b.problem}): expected ${b.expected}, found ${b.found}` +
          ` (${r.checked} entries before it verify, from ${from})`,
      );
    }
    if (!reports.length) console.log('No audit entries yet.');
    return broken ? 1 : 0;
  } finally {
    await dataSource.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error((error as Error).message);
    process.exit(1);
  },
);
