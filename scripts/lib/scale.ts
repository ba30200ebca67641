import { Client } from 'pg';
import { type DataSource } from 'typeorm';
import { loadScaleAssessment, scaleAssessmentPublished } from '@medcollab/assessment';
import { loadScaleCurriculum } from '@medcollab/curriculum';
import { serviceDatabaseName, SUBGRAPHS } from '@medcollab/kit';
import { loadScaleMentorship } from '@medcollab/mentorship';
import { loadScaleNetwork } from '@medcollab/network';
import { loadScaleQuality } from '@medcollab/quality';
import { loadScaleRotations } from '@medcollab/rotations';
import {
  buildScaleWorld,
  checkParity,
  loadScaleWorld,
  observeBulkInserts,
  type ScaleLoader,
  type ScaleName,
  type ScaleWorld,
  worldCounts,
} from '@medcollab/scale-world';
import { closeAll, migrateAll } from './migrate-all';

/** Each service's loader of its part of a generated world (notifications keeps no part yet). */
export const SCALE_LOADERS: Record<string, ScaleLoader<DataSource>> = {
  network: loadScaleNetwork,
  curriculum: loadScaleCurriculum,
  rotations: loadScaleRotations,
  assessment: loadScaleAssessment,
  mentorship: loadScaleMentorship,
  quality: loadScaleQuality,
};

const seconds = (since: bigint): string => `${(Number(process.hrtime.bigint() - since) / 1e9).toFixed(1)} s`;

/**
 * `pnpm seed --scale <tiny|medium|large>`: drops and recreates the `<prefix>_<service>`
 * databases (with `only`, just those services'; the others keep the same world's rows), migrates them, generates the world from the seed, loads each service's part in
 * bulk, and checks every projection against its owner. Prints the timing of each phase.
 */
export async function seedScale(
  serverUrl: string,
  opts: { scale: ScaleName; seed: string; prefix: string; only?: readonly string[] },
): Promise<ScaleWorld> {
  const only = opts.only?.length ? opts.only : undefined;
  for (const name of only ?? [])
    if (!SCALE_LOADERS[name]) throw new Error(`--only: ${name} keeps no part of the world (${Object.keys(SCALE_LOADERS).join(', ')})`);
  const reloaded = (name: string) => !only || only.includes(name);
  const total = process.hrtime.bigint();
  if (process.env.SCALE_DEBUG) observeBulkInserts((table, rows, ms) => console.log(`    ${table}: ${rows} rows in ${ms} ms`));
  process.env.DATABASE_PREFIX = opts.prefix;
  let t = process.hrtime.bigint();
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    for (const { name } of SUBGRAPHS)
      if (reloaded(name)) await admin.query(`DROP DATABASE IF EXISTS "${serviceDatabaseName(name)}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
  console.log(
    `drop:      ${seconds(t)} (${SUBGRAPHS.filter((s) => reloaded(s.name))
      .map((s) => serviceDatabaseName(s.name))
      .join(', ')})`,
  );
  t = process.hrtime.bigint();
  const dataSources = await migrateAll(serverUrl);
  console.log(`migrate:   ${seconds(t)}`);
  try {
    t = process.hrtime.bigint();
    const world = buildScaleWorld({ scale: opts.scale, seed: opts.seed });
    console.log(`generate:  ${seconds(t)} ${JSON.stringify(worldCounts(world))}`);
    // What assessment publishes (quality's evaluations) when assessment's own part is kept as it is.
    if (!reloaded('assessment') && reloaded('quality'))
      world.published.assessment = await scaleAssessmentPublished(dataSources.assessment!, world);
    await loadScaleWorld(
      world,
      Object.entries(SCALE_LOADERS)
        .filter(([service]) => reloaded(service))
        .map(([service, load]) => ({ service, dataSource: dataSources[service]!, load })),
      (loaded) => console.log(`load ${loaded.service.padEnd(11)} ${loaded.seconds.toFixed(1)} s ${JSON.stringify(loaded.rows)}`),
    );
    t = process.hrtime.bigint();
    const results = await checkParity(dataSources);
    for (const r of results) console.log(`  parity ${r.ok ? 'ok  ' : 'FAIL'} ${r.name} (${r.ownerRows} / ${r.projectionRows})`);
    console.log(`parity:    ${seconds(t)}`);
    const failed = results.filter((r) => !r.ok);
    if (failed.length) throw new Error(`parity check failed: ${failed.map((r) => r.name).join('; ')}`);
    console.log(`total:     ${seconds(total)}`);
    return world;
  } finally {
    await closeAll(dataSources);
  }
}
