import { type EntityManager } from 'typeorm';
import { type CellDelta } from '../domain/cells';
import { EVERYTHING, generationScopes } from '../domain/generations';

/**
 * The generation counters of cached reports (ADR 0020), bumped in the transaction of the
 * change: a report cached under the counters read before it was computed is valid exactly while
 * they stand. Counters are bumped in key order (one statement), so concurrent transactions lock
 * them in the same order; they are the last rows an event's transaction locks.
 */
export async function bumpGenerations(em: EntityManager, scopes: Iterable<string>, departments: Iterable<string> = []): Promise<void> {
  const keys = [...new Set(scopes)].sort();
  const depts = [...new Set(departments)].sort();
  if (!keys.length && !depts.length) return;
  // A teacher cell whose department cell did not change: its hospital is its department's parent.
  const viaDepartments = depts.length
    ? `UNION SELECT 'INSTITUTION|' || parent FROM rollup_cell
        WHERE scope_kind = 'DEPARTMENT' AND scope_id = ANY($2::text[]) AND parent IS NOT NULL`
    : '';
  await em.query(
    `INSERT INTO quality_generation (scope, generation)
     SELECT scope, 1 FROM (SELECT unnest($1::text[]) AS scope ${viaDepartments}) s ORDER BY scope
     ON CONFLICT (scope) DO UPDATE SET generation = quality_generation.generation + 1`,
    depts.length ? [keys, depts] : [keys],
  );
}

/** Bumps the counters of every report the deltas reach (and of every report, when `everything`). */
export async function bumpForDeltas(em: EntityManager, deltas: readonly CellDelta[], everything = false): Promise<void> {
  const { scopes, departments } = generationScopes(deltas);
  if (everything) scopes.add(EVERYTHING);
  await bumpGenerations(em, scopes, departments);
}

/** Every report changed (a freeze, a revision, a rebuild). */
export const bumpEverything = (em: EntityManager): Promise<void> => bumpGenerations(em, [EVERYTHING]);

/** The counters' current values ('0' for one never bumped), as one stamp string in the order asked. */
export async function readGenerations(em: EntityManager, scopes: readonly string[]): Promise<string> {
  const rows = (await em.query('SELECT scope, generation FROM quality_generation WHERE scope = ANY($1::text[])', [scopes])) as {
    scope: string;
    generation: string;
  }[];
  const by = new Map(rows.map((r) => [r.scope, String(r.generation)]));
  return scopes.map((s) => by.get(s) ?? '0').join('/');
}
