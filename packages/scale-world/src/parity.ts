import { type Queryable } from './bulk';

/** One projection compared with its owner: each side is a query returning one text column `r` per row. */
export interface ParityCheck {
  name: string;
  owner: { service: string; rows: string };
  projection: { service: string; rows: string };
}

export interface ParityResult {
  name: string;
  ownerRows: number;
  projectionRows: number;
  ok: boolean;
}

/**
 * What each service projects from another, as the same text per row on both sides. The
 * owner's side says which of its rows the projection must hold (e.g. placements that were
 * confirmed; active mentorships' mentees).
 */
export const PARITY_CHECKS: readonly ParityCheck[] = [
  ...['rotations', 'assessment', 'curriculum'].map((service) => ({
    name: `${service}.known_student = network.student`,
    owner: { service: 'network', rows: `SELECT concat_ws(',', id, school_id) FROM student` },
    projection: { service, rows: `SELECT concat_ws(',', id, school_id) FROM known_student` },
  })),
  {
    name: 'mentorship.known_student = network.student',
    owner: { service: 'network', rows: `SELECT concat_ws(',', id, school_id, cohort_year, prior_clinical_years) FROM student` },
    projection: {
      service: 'mentorship',
      rows: `SELECT concat_ws(',', id, school_id, cohort_year, prior_clinical_years) FROM known_student`,
    },
  },
  ...['rotations', 'assessment', 'mentorship'].map((service) => ({
    name: `${service}.known_staff = network.staff_member`,
    owner: { service: 'network', rows: `SELECT concat_ws(',', id, institution_id, department_id, roles::text) FROM staff_member` },
    projection: { service, rows: `SELECT concat_ws(',', id, institution_id, department_id, roles::text) FROM known_staff` },
  })),
  ...['rotations', 'assessment', 'mentorship', 'curriculum', 'quality'].map((service) => ({
    name: `${service}.known_agreement = network.collaboration_agreement`,
    owner: {
      service: 'network',
      rows: `SELECT concat_ws(',', id, school_id, hospital_id, status) FROM collaboration_agreement WHERE status <> 'PROPOSED'`,
    },
    projection: { service, rows: `SELECT concat_ws(',', id, school_id, hospital_id, status) FROM known_agreement` },
  })),
  {
    name: 'rotations.known_agreement.department_ids = network.agreement_department',
    owner: {
      service: 'network',
      rows: `SELECT concat_ws(',', a.id, string_agg(ad.department_id::text, ';' ORDER BY ad.department_id))
               FROM collaboration_agreement a JOIN agreement_department ad ON ad.agreement_id = a.id WHERE a.status <> 'PROPOSED' GROUP BY a.id`,
    },
    projection: {
      service: 'rotations',
      rows: `SELECT concat_ws(',', id, (SELECT string_agg(d::text, ';' ORDER BY d) FROM unnest(department_ids) d)) FROM known_agreement`,
    },
  },
  ...[
    ['rotations', 'institution_id'],
    ['quality', 'hospital_id'],
  ].map(([service, column]) => ({
    name: `${service}.known_department = network.department`,
    owner: { service: 'network', rows: `SELECT concat_ws(',', id, institution_id, specialty) FROM department` },
    projection: { service: service!, rows: `SELECT concat_ws(',', id, ${column}, specialty) FROM known_department` },
  })),
  ...['rotations', 'assessment'].map((service) => ({
    name: `${service}.known_enrollment = curriculum.enrollment`,
    owner: { service: 'curriculum', rows: `SELECT concat_ws(',', id, student_id, program_id, school_id, status) FROM enrollment` },
    projection: { service, rows: `SELECT concat_ws(',', id, student_id, program_id, school_id, status) FROM known_enrollment` },
  })),
  {
    name: 'assessment.known_placement = rotations.placement',
    owner: {
      service: 'rotations',
      rows: `SELECT concat_ws(',', id, student_id, school_id, hospital_id, department_id, block_id, supervisor_id, starts_on, ends_on, status, extract(epoch FROM access_until))
               FROM placement WHERE status <> 'PROPOSED'`,
    },
    projection: {
      service: 'assessment',
      rows: `SELECT concat_ws(',', id, student_id, school_id, hospital_id, department_id, block_id, supervisor_id, starts_on, ends_on, status, extract(epoch FROM access_until))
               FROM known_placement`,
    },
  },
  {
    name: 'network.hospital_access_grant = rotations.placement',
    owner: {
      service: 'rotations',
      rows: `SELECT concat_ws(',', id, student_id, hospital_id, department_id, supervisor_id, extract(epoch FROM access_until)) FROM placement WHERE status <> 'PROPOSED'`,
    },
    projection: {
      service: 'network',
      rows: `SELECT concat_ws(',', placement_id, student_id, hospital_id, department_id, supervisor_id, extract(epoch FROM valid_until)) FROM hospital_access_grant`,
    },
  },
  ...[
    ['network', 'mentor_access_grant'],
    ['assessment', 'mentor_grant'],
  ].map(([service, table]) => ({
    name: `${service}.${table} = mentorship's active mentees`,
    owner: {
      service: 'mentorship',
      rows: `SELECT concat_ws(',', m.id, m.mentor_id, mm.student_id) FROM mentorship m JOIN mentorship_mentee mm ON mm.mentorship_id = m.id WHERE m.status <> 'ENDED'`,
    },
    projection: { service: service!, rows: `SELECT concat_ws(',', mentorship_id, mentor_id, student_id) FROM ${table}` },
  })),
  {
    name: 'assessment.known_competency = curriculum.competency',
    owner: { service: 'curriculum', rows: `SELECT concat_ws(',', id, framework_id, code, domain, parent_id) FROM competency` },
    projection: { service: 'assessment', rows: `SELECT concat_ws(',', id, framework_id, code, domain, parent_id) FROM known_competency` },
  },
  {
    name: 'assessment.known_post_profile = curriculum.post_profile (with its requirements in order)',
    owner: {
      service: 'curriculum',
      rows: `SELECT concat_ws(',', p.id, p.title, p.scale_name, p.scale_min, p.scale_max,
                     string_agg(r.competency_id::text || ':' || r.level::text, ';' ORDER BY r.position))
               FROM post_profile p JOIN post_profile_requirement r ON r.post_profile_id = p.id GROUP BY p.id`,
    },
    projection: {
      service: 'assessment',
      rows: `SELECT concat_ws(',', id, title, scale_name, scale_min, scale_max,
                     (SELECT string_agg((e ->> 'competencyId') || ':' || (e ->> 'level'), ';' ORDER BY n)
                        FROM jsonb_array_elements(requirements) WITH ORDINALITY AS x(e, n)))
               FROM known_post_profile`,
    },
  },
  {
    name: 'quality.known_institution = network.institution',
    owner: { service: 'network', rows: `SELECT concat_ws(',', id, timezone) FROM institution` },
    projection: { service: 'quality', rows: `SELECT concat_ws(',', id, timezone) FROM known_institution` },
  },
  // Quality's rollups against their producers' rows: per hospital and block, the school-wide
  // cohort's counts of placements, tasks assigned, tasks submitted and evaluations of each kind.
  {
    name: 'quality.rollup_cell PLACEMENTS = rotations.placement (hospital, block)',
    owner: {
      service: 'rotations',
      rows: `SELECT concat_ws(',', hospital_id, block_id, count(*)) FROM placement WHERE status <> 'PROPOSED' GROUP BY hospital_id, block_id`,
    },
    projection: { service: 'quality', rows: qualityCells(`metric = 'PLACEMENTS'`) },
  },
  {
    name: 'quality.rollup_cell TASKS_ASSIGNED = assessment.assessment_task (hospital, block)',
    owner: {
      service: 'assessment',
      rows: `SELECT concat_ws(',', hospital_id, block_id, count(*)) FROM assessment_task
              WHERE hospital_id IS NOT NULL AND block_id IS NOT NULL GROUP BY hospital_id, block_id`,
    },
    projection: { service: 'quality', rows: qualityCells(`metric = 'TASKS_ASSIGNED'`) },
  },
  {
    name: 'quality.rollup_cell TASKS_ON_TIME + TASKS_LATE = submitted assessment_task (hospital, block)',
    owner: {
      service: 'assessment',
      rows: `SELECT concat_ws(',', hospital_id, block_id, count(*)) FROM assessment_task
              WHERE status = 'SUBMITTED' AND hospital_id IS NOT NULL AND block_id IS NOT NULL GROUP BY hospital_id, block_id`,
    },
    projection: { service: 'quality', rows: qualityCells(`metric IN ('TASKS_ON_TIME', 'TASKS_LATE')`) },
  },
  ...(
    [
      ['SITE_SCORE', 'SITE_EVALUATION'],
      ['TEACHER_SCORE', 'TEACHER_EVALUATION'],
    ] as const
  ).map(([metric, role]) => ({
    name: `quality.rollup_cell ${metric} = submitted ${role} (hospital, block)`,
    owner: {
      service: 'assessment',
      rows: `SELECT concat_ws(',', hospital_id, block_id, count(*)) FROM assessment_task
              WHERE role = '${role}' AND status = 'SUBMITTED' AND hospital_id IS NOT NULL AND block_id IS NOT NULL GROUP BY hospital_id, block_id`,
    },
    projection: { service: 'quality', rows: qualityCells(`metric = '${metric}'`) },
  })),
];

/** Quality's all-schools cells of a hospital and block (whole figures, not items), summed over `metrics`. */
function qualityCells(metrics: string): string {
  return `SELECT concat_ws(',', scope_id, period_id, sum(n)) FROM rollup_cell
           WHERE ${metrics} AND school = '*' AND scope_kind = 'INSTITUTION' AND period_kind = 'BLOCK' AND item = ''
           GROUP BY scope_id, period_id`;
}

const digest = async (db: Queryable, rows: string): Promise<{ n: number; h: string }> => {
  const result = (await db.query(
    `SELECT count(*)::int AS n, md5(coalesce(string_agg(r, '|' ORDER BY r), '')) AS h FROM (${rows}) AS x(r)`,
  )) as { n: number; h: string }[] | { rows: { n: number; h: string }[] };
  const row = Array.isArray(result) ? result[0] : result.rows[0];
  return row!;
};

/** Runs every check against the service databases (one connection per service). */
export async function checkParity(
  databases: Record<string, Queryable>,
  checks: readonly ParityCheck[] = PARITY_CHECKS,
): Promise<ParityResult[]> {
  const out: ParityResult[] = [];
  for (const check of checks) {
    const owner = databases[check.owner.service];
    const projection = databases[check.projection.service];
    if (!owner || !projection)
      throw new Error(`parity ${check.name}: no connection to ${!owner ? check.owner.service : check.projection.service}`);
    const [a, b] = [await digest(owner, check.owner.rows), await digest(projection, check.projection.rows)];
    out.push({ name: check.name, ownerRows: a.n, projectionRows: b.n, ok: a.n === b.n && a.h === b.h });
  }
  return out;
}
