/**
 * EXPLAIN ANALYZE of the hot reads behind the dashboard operations of issue 16, on a generated
 * world (`pnpm seed --scale medium|large`):
 *
 *   pnpm --filter @medcollab/bench exec tsx explain-operations.ts [--database-prefix medcollab_large] [--verbose]
 *
 * Each read is the statement the owning service sends (the same WHERE, ORDER BY and LIMIT as
 * its data layer), with parameters picked from the world (the busiest block, student,
 * department, assessor). Prints per read: execution time (best of 3, warm cache), the scans
 * of the plan (index or sequential, with the index name) and the rows read.
 */
import { parseArgs } from 'node:util';
import { Client } from 'pg';

const { values: args } = parseArgs({
  options: { 'database-prefix': { type: 'string', default: 'medcollab_large' }, verbose: { type: 'boolean', default: false } },
});
const prefix = args['database-prefix']!;
const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Rows Removed by Filter'?: number;
  Plans?: PlanNode[];
}

function scans(node: PlanNode, out: string[] = []): string[] {
  if (node['Relation Name'] || node['Index Name']) {
    const removed = node['Rows Removed by Filter'] ? `, ${node['Rows Removed by Filter']} filtered out` : '';
    out.push(
      `${node['Node Type']}${node['Index Name'] ? ` ${node['Index Name']}` : ''} on ${node['Relation Name'] ?? '?'} (${(node['Actual Rows'] ?? 0) * (node['Actual Loops'] ?? 1)} rows${removed})`,
    );
  }
  for (const child of node.Plans ?? []) scans(child, out);
  return out;
}

async function connect(service: string): Promise<Client> {
  const url = new URL(serverUrl);
  url.pathname = `/${prefix}_${service}`;
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  return client;
}

async function main(): Promise<void> {
  const db = {
    network: await connect('network'),
    rotations: await connect('rotations'),
    assessment: await connect('assessment'),
    mentorship: await connect('mentorship'),
    quality: await connect('quality'),
  };
  const one = async (c: Client, sql: string, params: unknown[] = []) => (await c.query(sql, params)).rows[0] as Record<string, string>;
  // Parameters from the world: the busiest of each kind.
  const now = '2026-12-07T12:00:00Z';
  const { school_id: schoolId, block_id: blockId } = await one(
    db.rotations,
    `SELECT school_id, block_id FROM placement WHERE status = 'IN_PROGRESS' GROUP BY 1, 2 ORDER BY count(*) DESC, 2 LIMIT 1`,
  );
  const { department_id: departmentId, hospital_id: hospitalId } = await one(
    db.rotations,
    `SELECT department_id, hospital_id FROM placement GROUP BY 1, 2 ORDER BY count(*) DESC, 1 LIMIT 1`,
  );
  const { student_id: studentId } = await one(
    db.assessment,
    `SELECT student_id FROM assessment_task GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`,
  );
  const { assessor_id: assessorId } = await one(
    db.assessment,
    `SELECT assessor_id FROM assessment_task WHERE role IN ('ASSIGNED', 'SUPERVISOR_ASSESSMENT') GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`,
  );
  const placementIds = (
    await db.rotations.query(`SELECT id FROM placement WHERE department_id = $1 ORDER BY starts_on DESC LIMIT 200`, [departmentId])
  ).rows.map((r: { id: string }) => r.id);
  // The students of the department's page: those of its placements the hospital still sees.
  const departmentStudentIds = (
    await db.rotations.query(
      `SELECT DISTINCT student_id FROM placement WHERE department_id = $1
          AND (status IN ('CONFIRMED', 'IN_PROGRESS') OR (status = 'COMPLETED' AND access_until > $2))`,
      [departmentId, now],
    )
  ).rows.map((r: { student_id: string }) => r.student_id);
  const studentIds = (
    await db.network.query(`SELECT id FROM student WHERE school_id = $1 ORDER BY family_name, given_name, id LIMIT 50`, [schoolId])
  ).rows.map((r: { id: string }) => r.id);
  const institutionIds = (await db.network.query(`SELECT id FROM institution`)).rows.map((r: { id: string }) => r.id);
  const agreementIds = (await db.network.query(`SELECT id FROM collaboration_agreement ORDER BY starts_on DESC, id LIMIT 50`)).rows.map(
    (r: { id: string }) => r.id,
  );

  // Quality: a hospital's year with its terms and blocks (the periods a year's report protects together).
  // A quality database still being loaded holds its tables locked: its reads are then skipped.
  await db.quality.query(`SET lock_timeout = '3s'`);
  const year = '2025-2026';
  const quality = async <T>(read: () => Promise<T>, none: T): Promise<T> => read().catch(() => none);
  const periods = await quality(
    async () =>
      (
        await db.quality.query(
          `SELECT period_kind, period_id FROM quality_period WHERE (period_kind = 'YEAR' AND period_id = $1) OR year_id = $1 ORDER BY 1, 2`,
          [year],
        )
      ).rows as { period_kind: string; period_id: string }[],
    [],
  );
  const metrics = await quality(
    async () =>
      (await db.quality.query(`SELECT DISTINCT metric FROM rollup_cell WHERE scope_kind = 'INSTITUTION'`)).rows.map(
        (r: { metric: string }) => r.metric,
      ),
    [] as string[],
  );
  const hospitalDepartments = await quality(
    async () =>
      (await db.quality.query(`SELECT id::text FROM known_department WHERE hospital_id = $1`, [hospitalId])).rows.map(
        (r: { id: string }) => r.id,
      ),
    [] as string[],
  );
  const CELLS = `SELECT metric, scope_kind, scope_id, item, parent, n, total_milli, histogram, evaluators, period_kind, period_id FROM rollup_cell
    WHERE school = $1 AND (period_kind, period_id) IN (SELECT * FROM unnest($2::text[], $3::text[])) AND metric = ANY($4)`;
  const cellParams = ['*', periods.map((p) => p.period_kind), periods.map((p) => p.period_id), metrics];

  const GRANT = `(p.status IN ('CONFIRMED', 'IN_PROGRESS') OR (p.status = 'COMPLETED' AND p.access_until > $3))`;
  const reads: { op: string; service: keyof typeof db; name: string; sql: string; params: unknown[] }[] = [
    {
      op: '1 block board',
      service: 'rotations',
      name: 'placements of a block (page)',
      sql: `SELECT p.* FROM placement p WHERE (p.school_id = $1 OR (p.hospital_id = $1 AND ${GRANT})) AND p.block_id = $2 ORDER BY p.starts_on, p.id LIMIT 201`,
      params: [schoolId, blockId, now],
    },
    {
      op: '1 block board',
      service: 'rotations',
      name: 'placements of a block (totalCount)',
      sql: `SELECT count(1) FROM placement p WHERE (p.school_id = $1 OR (p.hospital_id = $1 AND ${GRANT})) AND p.block_id = $2`,
      params: [schoolId, blockId, now],
    },
    {
      op: '1 block board',
      service: 'network',
      name: 'students by id (entities)',
      sql: `SELECT * FROM student WHERE id = ANY($1::uuid[])`,
      params: [studentIds],
    },
    {
      op: '2 portfolio',
      service: 'rotations',
      name: "a student's placements",
      sql: `SELECT * FROM placement WHERE student_id = $1 ORDER BY starts_on`,
      params: [studentId],
    },
    {
      op: '2 portfolio',
      service: 'assessment',
      name: "a student's tasks",
      sql: `SELECT * FROM assessment_task WHERE student_id = ANY($1::uuid[]) ORDER BY assigned_at DESC, id`,
      params: [[studentId]],
    },
    {
      op: '2 portfolio',
      service: 'assessment',
      name: "a student's competency evidence",
      sql: `SELECT * FROM competency_observation WHERE student_id = $1`,
      params: [studentId],
    },
    {
      op: '2 portfolio',
      service: 'mentorship',
      name: "a student's mentorships",
      sql: `SELECT m.* FROM mentorship m WHERE m.id IN (SELECT x.mentorship_id FROM mentorship_mentee x WHERE x.student_id = ANY($1::uuid[]))`,
      params: [[studentId]],
    },
    {
      op: '2 portfolio',
      service: 'mentorship',
      name: "a student's goals",
      sql: `SELECT * FROM development_goal WHERE student_id = ANY($1::uuid[]) ORDER BY target_date, created_at`,
      params: [[studentId]],
    },
    {
      op: '3 department page',
      service: 'rotations',
      // As rotations' Department.placements loader sends it: every placement of the department, the
      // policy applied to the rows (until ADR 0072 no index served it: a sequential scan of all placements).
      name: "a department's placements (Department.placements)",
      sql: `SELECT * FROM placement WHERE department_id = ANY($1::uuid[]) ORDER BY starts_on, id`,
      params: [[departmentId]],
    },
    {
      op: '3 department page',
      service: 'network',
      // The hospital's reading of the page's students: their access grants (network's accessGrantsByStudent).
      name: "the page's students' access grants",
      sql: `SELECT 'hospital' AS kind, student_id, hospital_id AS holder_id, department_id, supervisor_id FROM hospital_access_grant
              WHERE student_id = ANY($1::uuid[]) AND (valid_until IS NULL OR valid_until > now())
             UNION ALL
             SELECT 'mentor' AS kind, student_id, mentor_id AS holder_id, NULL, NULL FROM mentor_access_grant
              WHERE student_id = ANY($1::uuid[])`,
      params: [departmentStudentIds],
    },
    {
      op: '3 department page',
      service: 'assessment',
      name: 'tasks of the placements',
      sql: `SELECT * FROM assessment_task WHERE placement_id = ANY($1::uuid[])`,
      params: [placementIds],
    },
    {
      op: '3 department page',
      service: 'assessment',
      name: "a department's hospital (known placements and staff)",
      sql: `SELECT DISTINCT department_id AS id, hospital_id AS institution FROM known_placement WHERE department_id = ANY($1::uuid[])
             UNION SELECT DISTINCT department_id, institution_id FROM known_staff WHERE department_id = ANY($1::uuid[])`,
      params: [[departmentId]],
    },
    {
      op: '4 task inbox',
      service: 'assessment',
      name: "an assessor's tasks (page of 50)",
      sql: `SELECT * FROM assessment_task t WHERE t.assessor_id = $1 ORDER BY t.assigned_at DESC, t.id ASC LIMIT 51`,
      params: [assessorId],
    },
    {
      op: '4 task inbox',
      service: 'assessment',
      name: "an assessor's pending tasks (page of 50)",
      sql: `SELECT * FROM assessment_task t WHERE t.assessor_id = $1 AND t.status = 'PENDING' ORDER BY t.assigned_at DESC, t.id ASC LIMIT 51`,
      params: [assessorId],
    },
    {
      op: '4 task inbox',
      service: 'assessment',
      name: 'instrument items',
      sql: `SELECT * FROM instrument_item WHERE instrument_id = ANY(SELECT id FROM instrument)`,
      params: [],
    },
    {
      op: '6 students page',
      service: 'network',
      name: "a school's students (page of 50)",
      sql: `SELECT * FROM student WHERE school_id = $1 ORDER BY family_name, given_name, id LIMIT 51`,
      params: [schoolId],
    },
    {
      op: '6 students page',
      service: 'network',
      name: "a school's students (totalCount)",
      sql: `SELECT count(*) FROM student WHERE school_id = $1`,
      params: [schoolId],
    },
    {
      op: '6 students page',
      service: 'network',
      name: "every student (a network admin's page of 50)",
      sql: `SELECT * FROM student WHERE TRUE ORDER BY family_name ASC, given_name ASC, id ASC LIMIT 51`,
      params: [],
    },
    {
      op: '6 students page',
      service: 'network',
      name: 'every student (totalCount, count(*) since session 8)',
      sql: `SELECT count(*)::int AS n FROM student WHERE TRUE`,
      params: [],
    },
    {
      op: '6 students page',
      service: 'network',
      name: "every student (totalCount as TypeORM's getCount sent it)",
      sql: `SELECT COUNT(DISTINCT("s"."id")) AS "cnt" FROM "student" "s"`,
      params: [],
    },
    {
      op: '6 institutions',
      service: 'network',
      name: 'institutions page (50)',
      sql: `SELECT * FROM institution WHERE TRUE ORDER BY name ASC, id ASC LIMIT 51`,
      params: [],
    },
    {
      op: '6 institutions',
      service: 'network',
      name: "departments of a page's agreements (link table, one statement)",
      sql: `SELECT l.agreement_id AS "__key", t.* FROM agreement_department l JOIN department t ON t.id = l.department_id
             WHERE l.agreement_id = ANY($1::uuid[])`,
      params: [agreementIds],
    },
    {
      op: '6 institutions',
      service: 'network',
      name: 'departments of every institution',
      sql: `SELECT * FROM department WHERE institution_id = ANY($1::uuid[]) ORDER BY name`,
      params: [institutionIds],
    },
    {
      op: '6 institutions',
      service: 'network',
      name: 'agreements with their departments',
      sql: `SELECT a.*, d.* FROM collaboration_agreement a JOIN agreement_department ad ON ad.agreement_id = a.id JOIN department d ON d.id = ad.department_id ORDER BY a.starts_on DESC`,
      params: [],
    },
    {
      op: '5 quality report',
      service: 'quality',
      name: "a hospital's cells (year, terms, blocks)",
      sql: `${CELLS} AND scope_kind = $5 AND scope_id = $6`,
      params: [...cellParams, 'INSTITUTION', hospitalId],
    },
    {
      op: '5 quality report',
      service: 'quality',
      name: "its departments' cells",
      sql: `${CELLS} AND scope_kind = ANY($5) AND parent = ANY($6)`,
      params: [...cellParams, ['DEPARTMENT'], [hospitalId]],
    },
    {
      op: '5 quality report',
      service: 'quality',
      name: "its teachers' cells",
      sql: `${CELLS} AND scope_kind = ANY($5) AND parent = ANY($6)`,
      params: [...cellParams, ['TEACHER'], hospitalDepartments],
    },
    {
      op: '6 institutions',
      service: 'network',
      name: 'agreements page (50)',
      sql: `SELECT a.* FROM collaboration_agreement a ORDER BY a.starts_on DESC, a.id LIMIT 51`,
      params: [],
    },
    {
      op: 'policy',
      service: 'network',
      name: 'grants of 50 students',
      sql: `SELECT 'hospital' AS kind, student_id FROM hospital_access_grant WHERE student_id = ANY($1::uuid[]) AND (valid_until IS NULL OR valid_until > now())
             UNION ALL SELECT 'mentor', student_id FROM mentor_access_grant WHERE student_id = ANY($1::uuid[])`,
      params: [studentIds],
    },
  ];

  const sizes = await one(
    db.assessment,
    `SELECT (SELECT count(*) FROM assessment_task) AS tasks, (SELECT count(*) FROM competency_observation) AS observations`,
  );
  console.log(`database prefix ${prefix}: ${sizes.tasks} tasks, ${sizes.observations} competency observations`);
  console.log('| operation | service | read | ms (best of 3) | plan |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const read of reads) {
    const client = db[read.service];
    let best = Infinity;
    let plan: PlanNode | undefined;
    if (read.service === 'quality' && !metrics.length) {
      console.log(`| ${read.op} | ${read.service} | ${read.name} | – | skipped: quality's rollups not readable (being loaded?) |`);
      continue;
    }
    for (let i = 0; i < 3; i++) {
      const { rows } = await client.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${read.sql}`, read.params);
      const [result] = rows[0]['QUERY PLAN'] as { Plan: PlanNode; 'Execution Time': number }[];
      if (result!['Execution Time'] < best) [best, plan] = [result!['Execution Time'], result!.Plan];
    }
    console.log(`| ${read.op} | ${read.service} | ${read.name} | ${best.toFixed(2)} | ${scans(plan!).join('; ')} |`);
    if (args.verbose) console.log(JSON.stringify(plan, null, 1));
  }
  await Promise.all(Object.values(db).map((c) => c.end()));
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
