import { type EntityManager } from 'typeorm';

/**
 * quality_school_block: each school's rotation blocks with their dates as the school's
 * placements tell them (earliest start, latest end), what the sweep's block markers need
 * (data/mentorship-blocks.ts). A min and a max are the same whatever the order events arrive in,
 * so keeping them event by event equals grouping the history (`refreshSchoolBlocks`, which a
 * rebuild runs).
 */

/**
 * Widens the school's block by a placement event's dates. Writes (and locks the row) only when
 * the event widens it: most placements of a block fall inside dates already known, and
 * concurrent placement events of one block would otherwise queue on the row.
 */
export async function noteSchoolBlock(em: EntityManager, payload: unknown): Promise<void> {
  const p = payload as { schoolId?: unknown; blockId?: unknown; startsOn?: unknown; endsOn?: unknown };
  if (typeof p.schoolId !== 'string' || typeof p.blockId !== 'string') return;
  const startsOn = typeof p.startsOn === 'string' ? p.startsOn : null;
  const endsOn = typeof p.endsOn === 'string' ? p.endsOn : null;
  await em.query(
    `INSERT INTO quality_school_block AS b (school_id, block_id, starts_on, ends_on)
     SELECT $1, $2, $3, $4 WHERE NOT EXISTS (
       SELECT 1 FROM quality_school_block k WHERE k.school_id = $1 AND k.block_id = $2
          AND ($3::text IS NULL OR k.starts_on <= $3) AND ($4::text IS NULL OR k.ends_on >= $4))
     ON CONFLICT (school_id, block_id) DO UPDATE
       SET starts_on = LEAST(b.starts_on, EXCLUDED.starts_on), ends_on = GREATEST(b.ends_on, EXCLUDED.ends_on)`,
    [p.schoolId, p.blockId, startsOn, endsOn],
  );
}

/** Recomputes the table from the placement events quality holds (a rebuild's one pass over them). */
export async function refreshSchoolBlocks(em: EntityManager): Promise<void> {
  await em.query('DELETE FROM quality_school_block');
  await em.query(`
    INSERT INTO quality_school_block (school_id, block_id, starts_on, ends_on)
    SELECT payload->>'schoolId', payload->>'blockId', min(payload->>'startsOn'), max(payload->>'endsOn')
      FROM applied_event
     WHERE aggregate_type = 'Placement' AND payload->>'schoolId' IS NOT NULL AND payload->>'blockId' IS NOT NULL
     GROUP BY 1, 2`);
}
