/**
 * CPU per loader read, TypeORM `find` against the kit's plainRowReader (ADR 0036), for the reads
 * the student portfolio and the assessor inbox make in assessment: a student's tasks (newest
 * first), instruments by id, instrument items by instrument, a student's competency
 * observations. Both send the same statement through the same pool to the same rows; the
 * figure is this process's CPU time (user + system) per read, so it holds on a loaded machine
 * (PostgreSQL's own work is in another process and not counted).
 *
 *   pnpm --filter @medcollab/bench exec tsx loader-reads.ts [--db-prefix mcbench_ops] [--reads 400] [--rounds 2]
 *
 * Reads the bench databases of `pnpm bench:operations` (their demo world).
 */
import { parseArgs } from 'node:util';
import { cpuUsage } from 'node:process';
import { loadavg } from 'node:os';
import { In, type DataSource, type ObjectLiteral } from 'typeorm';
import { assessmentSubgraph } from '@medcollab/assessment';
import {
  baseConfigShape,
  createDataSource,
  loadConfig,
  plainRowReader,
  serviceDatabaseName,
  withDatabase,
  type Order,
} from '@medcollab/kit';

const { values } = parseArgs({
  options: {
    'db-prefix': { type: 'string', default: 'mcbench_ops' },
    reads: { type: 'string', default: '400' },
    rounds: { type: 'string', default: '2' },
  },
});
const reads = Number(values.reads);

interface Read {
  name: string;
  entity: new () => ObjectLiteral;
  column: string;
  keys: string[];
  order: Record<string, 'ASC' | 'DESC'>;
}

async function cpuPerRead(run: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 20; i++) await run(); // warm-up: JIT, SQL cache, pool
  const before = cpuUsage();
  for (let i = 0; i < reads; i++) await run();
  const used = cpuUsage(before);
  return (used.user + used.system) / 1000 / reads;
}

async function main(): Promise<void> {
  const config = loadConfig(baseConfigShape);
  const ds: DataSource = await createDataSource({
    url: withDatabase(config.DATABASE_URL, serviceDatabaseName('assessment', values['db-prefix'])),
    entities: assessmentSubgraph.entities,
    migrations: [],
    poolSize: 2,
  }).initialize();
  try {
    const one = async (sql: string) => ((await ds.query(sql)) as { id: string }[]).map((r) => r.id);
    const [student] = await one(`SELECT student_id AS id FROM assessment_task GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`);
    const instruments = await one(`SELECT id FROM instrument ORDER BY id LIMIT 10`);
    const { entities } = assessmentSubgraph as unknown as { entities: (new () => ObjectLiteral)[] };
    const byName = (name: string) => entities.find((e) => e.name === name)!;
    const list: Read[] = [
      {
        name: "a student's tasks",
        entity: byName('AssessmentTask'),
        column: 'studentId',
        keys: [student!],
        order: { assignedAt: 'DESC', id: 'ASC' },
      },
      { name: 'instruments by id (10)', entity: byName('Instrument'), column: 'id', keys: instruments, order: {} },
      {
        name: 'items of 10 instruments',
        entity: byName('InstrumentItem'),
        column: 'instrumentId',
        keys: instruments,
        order: { position: 'ASC' },
      },
      {
        name: "a student's observations",
        entity: byName('CompetencyObservation'),
        column: 'studentId',
        keys: [student!],
        order: { observedAt: 'ASC', submissionId: 'ASC' },
      },
    ];
    console.log(
      `loader reads, ${reads} per point; load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    console.log('| read | rows | TypeORM find, ms CPU/read | plainRowReader, ms CPU/read | ratio |');
    console.log('| --- | ---: | ---: | ---: | ---: |');
    for (let round = 0; round < Number(values.rounds); round++)
      for (const r of list) {
        const repo = ds.getRepository(r.entity);
        const reader = plainRowReader(ds, r.entity);
        const orm = () => repo.find({ where: { [r.column]: In(r.keys) }, order: r.order as never });
        const plain = () => reader.by(r.column, r.keys, { order: r.order as Order<ObjectLiteral> });
        const rows = (await orm()).length;
        const a = await cpuPerRead(orm);
        const b = await cpuPerRead(plain);
        console.log(`| ${r.name} | ${rows} | ${a.toFixed(3)} | ${b.toFixed(3)} | ${(a / b).toFixed(1)}× |`);
      }
    console.log(
      `load average at the end: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
  } finally {
    await ds.destroy();
  }
}

main().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});
