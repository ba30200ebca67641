import {
  type CompetencyFrameworkPublished,
  type EnrollmentChanged,
  type PayloadOf,
  type PostProfilePublished,
  type ProgramPublished,
} from '@medcollab/events';
import { type EntityManager } from 'typeorm';

/**
 * Projections of the curriculum's events: each student's program (for the program's
 * end-of-placement instrument), competencies' domains and hierarchy, and post profiles'
 * requirements (for readiness). Idempotent upserts keyed by ids, inside the inbox transaction.
 */

/** A withdrawal is final (a returning student gets a new enrolment id), so a replayed older event never revives it. */
export async function projectEnrollmentChanged(em: EntityManager, p: PayloadOf<typeof EnrollmentChanged>, at: Date): Promise<void> {
  await em.query(
    `INSERT INTO known_enrollment (id, student_id, program_id, school_id, status, changed_at) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (id) DO UPDATE SET program_id = EXCLUDED.program_id, school_id = EXCLUDED.school_id, status = EXCLUDED.status, changed_at = EXCLUDED.changed_at
     WHERE known_enrollment.status = 'ACTIVE'`,
    [p.enrollmentId, p.studentId, p.programId, p.schoolId, p.change === 'WITHDRAWN' ? 'WITHDRAWN' : 'ACTIVE', at],
  );
}

/** The framework's competencies after the change; competencies are only ever added, so upserts suffice. */
export async function projectCompetencyFrameworkPublished(
  em: EntityManager,
  p: PayloadOf<typeof CompetencyFrameworkPublished>,
): Promise<void> {
  if (!p.competencies.length) return;
  await em.query(
    `INSERT INTO known_competency (id, framework_id, code, domain, parent_id)
     SELECT c.id, $1, c.code, c.domain, c.parent_id
       FROM jsonb_to_recordset($2::jsonb) AS c(id uuid, code text, domain text, parent_id uuid)
     ON CONFLICT (id) DO UPDATE SET framework_id = EXCLUDED.framework_id, code = EXCLUDED.code, domain = EXCLUDED.domain, parent_id = EXCLUDED.parent_id`,
    [p.frameworkId, JSON.stringify(p.competencies.map((c) => ({ id: c.id, code: c.code, domain: c.domain, parent_id: c.parentId })))],
  );
}

export async function projectPostProfilePublished(em: EntityManager, p: PayloadOf<typeof PostProfilePublished>): Promise<void> {
  await em.query(
    `INSERT INTO known_post_profile (id, title, scale_name, scale_min, scale_max, requirements) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title, scale_name = EXCLUDED.scale_name, scale_min = EXCLUDED.scale_min,
       scale_max = EXCLUDED.scale_max, requirements = EXCLUDED.requirements`,
    [p.postProfileId, p.title, p.scale.name, p.scale.min, p.scale.max, JSON.stringify(p.requirements)],
  );
}

/**
 * A program's modules as last published, in the program's order, with the disciplines each
 * integrates: replaced whole (the latest publication wins; one program's events arrive in order).
 */
export async function projectProgramPublished(em: EntityManager, p: PayloadOf<typeof ProgramPublished>): Promise<void> {
  if (!p.modules) return;
  await em.query('DELETE FROM known_program_module WHERE program_id = $1', [p.programId]);
  if (!p.modules.length) return;
  await em.query(
    `INSERT INTO known_program_module (program_id, module_id, position, disciplines)
     SELECT $1, m.module_id, m.position, ARRAY(SELECT jsonb_array_elements_text(m.disciplines))
       FROM jsonb_to_recordset($2::jsonb) AS m(module_id uuid, position int, disciplines jsonb)`,
    [p.programId, JSON.stringify(p.modules.map((m, position) => ({ module_id: m.moduleId, position, disciplines: m.disciplines ?? [] })))],
  );
}
