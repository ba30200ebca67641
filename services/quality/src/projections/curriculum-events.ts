import {
  type CompetencyFrameworkPublished,
  type EventEnvelope,
  type PayloadOf,
  type PostProfilePublished,
  type ProgramPublished,
} from '@medcollab/events';
import { type EntityManager } from 'typeorm';

/**
 * The curriculum as last published, for the curriculum figures (src/domain/curriculum-figures.ts).
 * Whole states: a later sequence replaces an earlier one, an earlier one arriving late changes nothing.
 * A program's publications are also kept one by one (curriculum_program_version), for its history.
 */
export async function projectProgramPublished(em: EntityManager, e: EventEnvelope<PayloadOf<typeof ProgramPublished>>): Promise<void> {
  const p = e.payload;
  const params = [
    p.programId,
    p.schoolId,
    p.title,
    p.competencyIds,
    JSON.stringify(p.teachingMinutes),
    p.publishedAt,
    e.sequence,
    JSON.stringify(p.modules ?? []),
  ];
  await em.query(
    `INSERT INTO curriculum_program (program_id, school_id, title, competency_ids, teaching_minutes, published_at, sequence, modules)
     VALUES ($1, $2, $3, $4::uuid[], $5, $6, $7, $8)
     ON CONFLICT (program_id) DO UPDATE SET school_id = EXCLUDED.school_id, title = EXCLUDED.title,
       competency_ids = EXCLUDED.competency_ids, teaching_minutes = EXCLUDED.teaching_minutes,
       published_at = EXCLUDED.published_at, sequence = EXCLUDED.sequence, modules = EXCLUDED.modules
     WHERE curriculum_program.sequence < EXCLUDED.sequence`,
    params,
  );
  // Every publication is kept, whatever the order of arrival (a redelivery changes nothing).
  await em.query(
    `INSERT INTO curriculum_program_version (program_id, school_id, title, competency_ids, teaching_minutes, published_at, sequence, modules)
     VALUES ($1, $2, $3, $4::uuid[], $5, $6, $7, $8) ON CONFLICT (program_id, sequence) DO NOTHING`,
    params,
  );
}

export async function projectPostProfilePublished(
  em: EntityManager,
  e: EventEnvelope<PayloadOf<typeof PostProfilePublished>>,
): Promise<void> {
  const p = e.payload;
  await em.query(
    `INSERT INTO curriculum_profile (profile_id, title, competency_ids, sequence) VALUES ($1, $2, $3::uuid[], $4)
     ON CONFLICT (profile_id) DO UPDATE SET title = EXCLUDED.title, competency_ids = EXCLUDED.competency_ids, sequence = EXCLUDED.sequence
     WHERE curriculum_profile.sequence < EXCLUDED.sequence`,
    [p.postProfileId, p.title, [...new Set(p.requirements.map((r) => r.competencyId))], e.sequence],
  );
}

/** A framework's competencies and their parents, whole; a later sequence replaces an earlier one. */
export async function projectCompetencyFrameworkPublished(
  em: EntityManager,
  e: EventEnvelope<PayloadOf<typeof CompetencyFrameworkPublished>>,
): Promise<void> {
  const competencies = e.payload.competencies.map((c) => ({ id: c.id, parentId: c.parentId }));
  await em.query(
    `INSERT INTO curriculum_framework (framework_id, sequence, competencies) VALUES ($1, $2, $3)
     ON CONFLICT (framework_id) DO UPDATE SET sequence = EXCLUDED.sequence, competencies = EXCLUDED.competencies
     WHERE curriculum_framework.sequence < EXCLUDED.sequence`,
    [e.payload.frameworkId, e.sequence, JSON.stringify(competencies)],
  );
}
