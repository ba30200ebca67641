import { type CellDelta } from '../../src/domain/cells';
import { EVERYTHING, generationScopes, rootGeneration } from '../../src/domain/generations';
import { type ScopeKind } from '../../src/domain/metrics';

const delta = (school: string, scopeKind: ScopeKind, scopeId: string, parent: string | null): CellDelta => ({
  key: { metric: 'TEACHER_SCORE', school, scopeKind, scopeId, periodKind: 'YEAR', periodId: '2026-2027', item: '', parent },
  n: 1,
  totalMilli: 4000,
  histogram: { 4: 1 },
  evaluators: { p: 1 },
});

describe('generationScopes: which cached reports a change reaches', () => {
  it("bumps the network report of the delta's cohort and the report of the hospital the cell is in", () => {
    const { scopes, departments } = generationScopes([
      delta('*', 'NETWORK', 'network', null),
      delta('*', 'INSTITUTION', 'H', 'network'),
      delta('*', 'DEPARTMENT', 'D', 'H'),
      delta('*', 'TEACHER', 'D/T', 'D'),
      delta('S', 'NETWORK', 'network', null),
      delta('S', 'STAFF', 'T', null),
    ]);
    expect([...scopes].sort()).toEqual(['INSTITUTION|H', 'NETWORK|*', 'NETWORK|S']);
    expect([...departments]).toEqual([]);
  });

  it("asks for the hospital of a teacher's department when only the teacher cells changed", () => {
    // An evaluation moved between two teachers of one department: the department's cell nets to nothing.
    const { scopes, departments } = generationScopes([delta('*', 'TEACHER', 'D/T1', 'D'), delta('*', 'TEACHER', 'D/T2', 'D')]);
    expect([...scopes]).toEqual(['NETWORK|*']);
    expect([...departments]).toEqual(['D']);
  });

  it('names a canonical root by hospital, or by the cohort of the network report', () => {
    expect(rootGeneration({ kind: 'INSTITUTION', id: 'H' }, '*')).toBe('INSTITUTION|H');
    expect(rootGeneration({ kind: 'NETWORK', id: 'network' }, 'S')).toBe('NETWORK|S');
    expect(EVERYTHING).toBe('*');
  });
});
