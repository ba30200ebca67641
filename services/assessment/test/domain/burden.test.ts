import fc from 'fast-check';
import { decideAutomatic, manualFits, samplingPriority, type WeekTask } from '../../src/domain/burden';

const week = '2026-W48';
const priority = (
  placementId: string,
  role: 'SUPERVISOR_ASSESSMENT' | 'SITE_EVALUATION' | 'TEACHER_EVALUATION',
  purpose: 'FORMATIVE' | 'SUMMATIVE' = 'FORMATIVE',
) => samplingPriority({ assessorId: 'a', week, placementId, role, purpose });

/** Feeds candidates one by one as the consumer does; returns the kept priorities. */
function simulate(candidates: readonly string[], cap: number): string[] {
  const kept: WeekTask[] = [];
  for (const [i, p] of candidates.entries()) {
    const d = decideAutomatic(kept, p, cap);
    if (d.outcome === 'SAMPLED_OUT') continue;
    if (d.outcome === 'ACCEPT_DISPLACING')
      kept.splice(
        kept.findIndex((t) => t.id === d.displacedTaskId),
        1,
      );
    kept.push({ id: `t${i}`, priority: p, untouched: true });
  }
  return kept.map((t) => t.priority as string).sort();
}

describe('the burden cap', () => {
  it('ranks summative supervisor assessments, then formative ones, then teacher and site evaluations', () => {
    const ranked = [
      priority('p', 'SITE_EVALUATION'),
      priority('p', 'SUPERVISOR_ASSESSMENT', 'FORMATIVE'),
      priority('p', 'TEACHER_EVALUATION'),
      priority('p', 'SUPERVISOR_ASSESSMENT', 'SUMMATIVE'),
    ].sort();
    expect(ranked.map((p) => p[0])).toEqual(['0', '1', '2', '3']);
    expect(priority('p', 'SITE_EVALUATION')).toBe(priority('p', 'SITE_EVALUATION'));
  });

  it('accepts below the cap, displaces the worst untouched task for a better one, else samples out', () => {
    const best = '0:aa';
    const worse = '3:ff';
    expect(decideAutomatic([], worse, 1)).toEqual({ outcome: 'ACCEPT' });
    expect(decideAutomatic([{ id: 'x', priority: worse, untouched: true }], best, 1)).toEqual({
      outcome: 'ACCEPT_DISPLACING',
      displacedTaskId: 'x',
    });
    expect(decideAutomatic([{ id: 'x', priority: best, untouched: true }], worse, 1)).toEqual({ outcome: 'SAMPLED_OUT' });
    // Work already put in, and tasks assigned by hand, are never withdrawn.
    expect(decideAutomatic([{ id: 'x', priority: worse, untouched: false }], best, 1)).toEqual({ outcome: 'SAMPLED_OUT' });
    expect(decideAutomatic([{ id: 'x', priority: null, untouched: true }], best, 1)).toEqual({ outcome: 'SAMPLED_OUT' });
    // The worst of several goes first.
    const week2 = [
      { id: 'a', priority: '2:10', untouched: true },
      { id: 'b', priority: '3:00', untouched: true },
    ];
    expect(decideAutomatic(week2, '1:00', 2)).toEqual({ outcome: 'ACCEPT_DISPLACING', displacedTaskId: 'b' });
    expect(manualFits(week2, 2)).toBe(false);
    expect(manualFits(week2, 3)).toBe(true);
  });

  it('keeps the top `cap` candidates whatever order they arrive in (property)', () => {
    const candidate = fc.tuple(
      fc.constantFrom('SUPERVISOR_ASSESSMENT', 'SITE_EVALUATION', 'TEACHER_EVALUATION'),
      fc.constantFrom('FORMATIVE', 'SUMMATIVE'),
      fc.uuid(),
    );
    const orders = fc
      .uniqueArray(candidate, { minLength: 1, maxLength: 12, selector: (c) => c[2] })
      .map((cs) => cs.map(([role, purpose, id]) => priority(id, role as 'SITE_EVALUATION', purpose as 'FORMATIVE')))
      .chain((ps) => fc.tuple(fc.constant(ps), fc.shuffledSubarray(ps, { minLength: ps.length, maxLength: ps.length })));
    fc.assert(
      fc.property(orders, fc.integer({ min: 1, max: 6 }), ([priorities, shuffled], cap) => {
        const top = [...priorities].sort().slice(0, cap).sort();
        expect(simulate(priorities, cap)).toEqual(top);
        expect(simulate(shuffled, cap)).toEqual(top);
      }),
      { numRuns: 300 },
    );
  });
});
