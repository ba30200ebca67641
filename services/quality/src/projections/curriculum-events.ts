import { type EventEnvelope, type PayloadOf, type PostProfilePublished, type ProgramPublished } from '@medcollab/events';
import { type EntityManager } from 'typeorm';

/**
 * The curriculum as last published, for the curriculum figures (src/domain/curriculum-figures.ts).
 * Whole states: a later sequence replaces an earlier one, an earlier one arriving late changes nothing.
 */
export async function projectProgramPublished(em: EntityManager, e: EventEnvelope<PayloadOf<typeof ProgramPublished>>): Promise<void> {
  const p = e.payload;
  await em.query(
    `INSERT INTO curriculum_program (program_id, school_id, title, competency_ids, teaching_minutes, published_at, sequence)
     VALUES ($1, $2, $3, $4::uuid[], $5, $6, $7)
     ON CONFLICT (program_id) DO UPDATE SET school_id = EXCLUDED.school_id, title = EXCLUDED.title,
       competency_ids = EXCLUDED.competency_ids, teaching_minutes = EXCLUDED.teaching_minutes,
       published_at = EXCLUDED.published_at, sequence = EXCLUDED.sequence
     WHERE curriculum_program.sequence < EXCLUDED.sequence`,
    [p.programId, p.schoolId, p.title, p.competencyIds, JSON.stringify(p.teachingMinutes), p.publishedAt, e.sequence],
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
