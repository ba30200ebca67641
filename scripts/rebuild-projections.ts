/**
 * Rebuilds a service's projections of the network's facts (known students, staff and
 * agreements) from the network, the owner of those facts:
 *
 *   pnpm projections:rebuild --service assessment [--dry-run]
 *
 * The network states its people and agreements as the events that produce them (registered,
 * then deactivated; activated, then ended), read in one REPEATABLE READ transaction of its
 * database; the service's tables are locked, emptied and refilled by the same handlers its
 * worker runs (@medcollab/projections), in one transaction of the service's database. Only the
 * projections change: what the service did on those events (cancelled placements, reassigned
 * tasks) is not replayed. --dry-run rolls the rebuild back and only reports. See docs/operations.md.
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
import { assessmentEventHandlers } from '@medcollab/assessment';
import { curriculumEventHandlers } from '@medcollab/curriculum';
import { mentorshipEventHandlers } from '@medcollab/mentorship';
import { networkFactSnapshot } from '@medcollab/network';
import { factsKeptBy, rebuildFromOwner } from '@medcollab/projections';
import { rotationsEventHandlers } from '@medcollab/rotations';

const USAGE = `Usage: pnpm projections:rebuild --service <assessment|curriculum|mentorship|rotations> [--dry-run]

Rebuilds the service's projections of the network's facts (known_student, known_staff,
known_agreement) from the network's current state, in one transaction. --dry-run rolls it back
and only reports the row counts before and after. Uses DATABASE_URL.`;

/** The services that keep the network's facts through @medcollab/projections, and their handlers. */
const CONSUMERS: Record<string, () => Partial<Record<string, unknown>>> = {
  assessment: () => assessmentEventHandlers(),
  curriculum: () => curriculumEventHandlers,
  mentorship: () => mentorshipEventHandlers,
  rotations: () => rotationsEventHandlers,
};

async function main(): Promise<number> {
  const values = parseCommandLine(USAGE, { service: { type: 'string' }, 'dry-run': { type: 'boolean', default: false } });
  const handlers = values.service ? CONSUMERS[values.service] : undefined;
  if (!values.service || !handlers) {
    console.error(`${values.service ? `${values.service} keeps no shared projection of the network's facts.\n\n` : ''}${USAGE}`);
    return 2;
  }
  const facts = factsKeptBy(handlers());
  const config = loadConfig(baseConfigShape);
  const open = (service: string) =>
    createDataSource({ url: withDatabase(config.DATABASE_URL, serviceDatabaseName(service)), entities: [], migrations: [], poolSize: 1 });
  const owner = open('network');
  const consumer = open(values.service);
  await initializeDataSource(owner, { migrate: false });
  await initializeDataSource(consumer, { migrate: false });
  try {
    const report = await rebuildFromOwner(
      consumer,
      facts,
      (wanted) => owner.transaction('REPEATABLE READ', (em) => networkFactSnapshot(em, wanted)),
      { dryRun: values['dry-run'] },
    );
    const tables = Object.keys(report.after).map((t) => `${t} ${report.before[t]} -> ${report.after[t]}`);
    console.log(
      `${report.dryRun ? 'Dry run (rolled back): ' : ''}${values.service}: ${report.applied} network facts replayed; rows ${tables.join(', ')}`,
    );
    return 0;
  } finally {
    await Promise.all([owner.destroy(), consumer.destroy()]);
  }
}

main()
  .then((code) => process.exit(code))
  .catch((error: Error) => {
    console.error(error.message);
    process.exit(1);
  });
