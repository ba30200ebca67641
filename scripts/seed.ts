import { baseConfigShape, loadConfig, parseCommandLine } from '@medcollab/kit';
import { isScaleName, type ScaleWorld } from '@medcollab/scale-world';
import { checkPostgres } from './lib/preflight';
import { closeAll, migrateAll } from './lib/migrate-all';
import { demoTokens, seedDemo } from './lib/demo';
import { seedScale } from './lib/scale';

/** `pnpm seed`: migrates every service database and loads the demo data where it is missing. */
const USAGE = `Usage: pnpm seed [--scale demo|tiny|medium|large] [--seed TEXT] [--database-prefix NAME] [--only SERVICE,…]

Without --scale (or with --scale demo): creates and migrates every service database that is
missing, loads the demo network where it is not there yet (idempotent), and prints the demo
summary and tokens.

With --scale tiny|medium|large: builds a generated network of that size (large: 12 schools,
40 hospitals, 800 departments, 12,000 students, ~150,000 placements, ~480,000 tasks…),
deterministic from --seed (default "medcollab"), into the databases <prefix>_<service>
(--database-prefix, default medcollab_<scale>), which are DROPPED and recreated first. Prints
the timing of each phase, checks every projection against its owner, and prints people to
sign in as. Run the services on that world with DATABASE_PREFIX=<prefix>. --only quality (or a
list) reloads just those services' databases of a world already loaded with the same --seed.

Uses DATABASE_URL.`;

async function main(): Promise<void> {
  const args = parseCommandLine(USAGE, {
    scale: { type: 'string', default: 'demo' },
    seed: { type: 'string', default: 'medcollab' },
    'database-prefix': { type: 'string' },
    only: { type: 'string' },
  });
  const config = loadConfig(baseConfigShape);
  await checkPostgres(config.DATABASE_URL);
  const scale = args.scale ?? 'demo';
  if (scale !== 'demo') {
    if (!isScaleName(scale)) throw new Error(`--scale must be demo, tiny, medium or large (got ${scale})`);
    const prefix = args['database-prefix'] ?? `medcollab_${scale}`;
    if (prefix === 'medcollab') throw new Error('--database-prefix medcollab would overwrite the demo databases; choose another');
    const only = args.only?.split(',').filter(Boolean);
    const world = await seedScale(config.DATABASE_URL, { scale, seed: args.seed ?? 'medcollab', prefix, only });
    console.log(`People to sign in as (pnpm mint-token, DATABASE_PREFIX=${prefix}):`);
    console.log(JSON.stringify(samplePeople(world), null, 2));
    return;
  }
  if (args['database-prefix']) process.env.DATABASE_PREFIX = args['database-prefix'];
  const dataSources = await migrateAll(config.DATABASE_URL);
  try {
    const summary = await seedDemo(dataSources);
    console.log(summary.created ? 'Demo network loaded.' : 'Demo network already present; nothing changed.');
    console.log(JSON.stringify(summary, null, 2));
    for (const [who, token] of Object.entries(await demoTokens(summary))) console.log(`${who}: ${token}`);
  } finally {
    await closeAll(dataSources);
  }
}

/** One person per operation of the benchmark, with what the operation needs (a block, a hospital). */
function samplePeople(world: ScaleWorld) {
  const school = world.institutions.find((i) => i.kind === 'SCHOOL')!;
  const coordinator = world.staff.find((s) => s.institutionId === school.id && s.roles.includes('COORDINATOR'))!;
  const admin = world.staff.find((s) => s.roles.includes('NETWORK_ADMIN'))!;
  const running = world.placements.find((p) => p.status === 'IN_PROGRESS' && p.schoolId === school.id)!;
  const pending = new Map<string, number>();
  for (const t of world.tasks)
    if (t.role !== 'SITE_EVALUATION' && t.role !== 'TEACHER_EVALUATION') pending.set(t.assessorId, (pending.get(t.assessorId) ?? 0) + 1);
  const [assessorId, assessorTasks] = [...pending.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]!;
  const assessor = world.staff.find((s) => s.id === assessorId)!;
  const hospitalOfficer = world.staff.find((s) => s.institutionId === running.hospitalId && s.roles.includes('QUALITY_OFFICER'))!;
  const mentee = world.mentorships.find((m) => m.status === 'ACTIVE' && m.schoolId === school.id)!;
  return {
    networkAdmin: { sub: admin.id, institutionId: admin.institutionId, roles: admin.roles },
    coordinator: { sub: coordinator.id, institutionId: school.id, roles: coordinator.roles, blockId: running.blockId },
    student: {
      sub: mentee.studentId,
      institutionId: school.id,
      roles: ['STUDENT'],
      postProfileId: world.postProfiles.find((p) => p.schoolId === school.id)!.id,
    },
    assessor: { sub: assessor.id, institutionId: assessor.institutionId, roles: assessor.roles, tasks: assessorTasks },
    hospitalQualityOfficer: {
      sub: hospitalOfficer.id,
      institutionId: running.hospitalId,
      roles: hospitalOfficer.roles,
      departmentId: running.departmentId,
    },
  };
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
