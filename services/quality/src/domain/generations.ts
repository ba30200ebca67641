import { type CellDelta } from './cells';
import { ALL_SCHOOLS, NETWORK_ID, type ScopeKind } from './metrics';

/**
 * Which cached reports a change can reach (ADR 0020). A report is cached per canonical root
 * (data/reports): a hospital's report of every student's figures, or the network's report of
 * one cohort (all schools, or one school's students). Each root has a generation counter; a
 * change bumps the counters of every root whose tree holds a cell it changed, and EVERYTHING
 * when it changes what all reports of a period are computed from (a freeze, a rebuild, a new
 * period or a block's place in its year).
 */
export const EVERYTHING = '*';

/** The generation counter of a canonical report root. */
export function rootGeneration(root: { kind: ScopeKind; id: string }, cohort: string): string {
  return root.kind === 'INSTITUTION' ? `INSTITUTION|${root.id}` : `NETWORK|${cohort}`;
}

export interface GenerationScopes {
  /** Counters to bump. */
  scopes: Set<string>;
  /** Departments whose hospital the deltas do not tell (a teacher cell changed, its department's did not). */
  departments: Set<string>;
}

/**
 * The counters a set of cell deltas bumps: the network report of the delta's cohort always
 * (every scope is under the network), and the report of the hospital the cell is in — an
 * INSTITUTION cell's own id, a DEPARTMENT cell's parent, a TEACHER cell's department's hospital
 * (from the deltas when its department changed too, else looked up by the caller).
 */
export function generationScopes(deltas: readonly CellDelta[]): GenerationScopes {
  const scopes = new Set<string>();
  const hospitalOf = new Map<string, string>();
  for (const d of deltas) {
    scopes.add(rootGeneration({ kind: 'NETWORK', id: NETWORK_ID }, d.key.school));
    if (d.key.scopeKind === 'INSTITUTION') scopes.add(rootGeneration({ kind: 'INSTITUTION', id: d.key.scopeId }, ALL_SCHOOLS));
    if (d.key.scopeKind === 'DEPARTMENT' && d.key.parent) {
      hospitalOf.set(d.key.scopeId, d.key.parent);
      scopes.add(rootGeneration({ kind: 'INSTITUTION', id: d.key.parent }, ALL_SCHOOLS));
    }
  }
  const departments = new Set<string>();
  for (const d of deltas) if (d.key.scopeKind === 'TEACHER' && d.key.parent && !hospitalOf.has(d.key.parent)) departments.add(d.key.parent);
  return { scopes, departments };
}
