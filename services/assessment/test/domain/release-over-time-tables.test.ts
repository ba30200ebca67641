import { releaseOverTime } from '../../src/domain/release-over-time';
import { stepsToText, tableFromText } from './release-over-time-text';

/**
 * Hand-built tables for the parts of the rule that random tables seldom reach (found by comparing
 * the rule with a changed copy of it over many tables, then shrinking the first table where the
 * two decided differently). Each pins the decisions of every step, in the text form of
 * release-over-time-text.ts: `rows: cells row by row / row totals / column totals / total`, with
 * `.` released, `k` too few evaluators, `c` complementary.
 */
const decide = (k: number, table: string): string[] => stepsToText(releaseOverTime(tableFromText(table), k)).split(' ; ');

describe('release decisions over time, hand-built tables', () => {
  it('keeps a cell hidden once hidden, even when the single-table rule would now release it', () => {
    // Cells hidden at b1 and b2 stay hidden at b3, where the single-table rule alone would
    // decide otherwise; were they left to the search instead, it would hide d2's new cell and the
    // b3 column and release the grand total.
    const steps = decide(2, 'b0 b1 b2 b3 | d0.b0=2:fl d0.b1=3:fgl d0.b2=1:l d1.b0=1:g d1.b1=2:hi d1.b2=1:j d2.b0=1:g d2.b3=2:cj');
    expect(steps).toEqual([
      'd0,d1,d2: . k k / .kk / . / .',
      'd0,d1,d2: .c kc k. / c.k / .. / .',
      'd0,d1,d2: .ck kck k.. / cck / ..c / c',
      'd0,d1,d2: .ck. kck. k... / ccc / ..c. / c',
    ]);
  });

  it('hides cells before totals when both would protect what is exposed', () => {
    // At b4 the search has row totals and cells to choose from: it hides the new cells d1.b4 and
    // d2.b4 and releases d2's row total (by evaluations alone it would hide d2's row total and
    // d0.b4 instead, and release d0's).
    expect(
      decide(2, 'b0 b1 b2 b3 b4 | d0.b1=1:l d0.b2=3:cef d0.b3=1:l d0.b4=3:jkl d1.b2=2:il d1.b4=2:hk d2.b2=2:ik d2.b3=4:eghl d2.b4=2:eg'),
    ).toEqual([
      ':  /  / . / .',
      'd0: .k / k / .k / k',
      'd0,d1,d2: .kc ... ... / ... / .kc / .',
      'd0,d1,d2: .kck .... ...c / c.c / .kcc / c',
      'd0,d1,d2: .kck. ....c ...cc / cc. / .kccc / .',
    ]);
  });

  it('prefers a cell to a cheaper total, whichever side of the comparison each is on', () => {
    // The sort compares candidates both ways round; each table has a step where only one of the
    // two comparisons (cell against total, total against cell) decides which is hidden.
    expect(
      decide(3, 'b0 b1 b2 b3 b4 b5 | d1.b2=3:dhk d1.b4=1:f d1.b5=3:ijk d2.b5=3:fjl d3.b1=1:h d3.b2=1:k d4.b1=1:k d4.b5=1:l').at(-1),
    ).toBe('d3,d4,d1,d2: .kk... .k...k ....kc ...... / kk.. / .kc.kc / c');
    expect(decide(5, 'b0 b1 b2 | d1.b1=1:i d2.b2=1:k d3.b0=4:efhl d3.b2=1:a')).toEqual([
      'd3: k / k / k / k',
      'd3,d1: k. .k / kk / kk / .',
      'd3,d1,d2: k.k .k. ..k / ckk / kkk / c',
    ]);
    expect(decide(2, 'b0 b1 b2 b3 | d0.b2=2:jl d0.b3=1:f d3.b2=2:il d3.b3=1:i')).toEqual([
      ':  /  / . / .',
      ':  /  / .. / .',
      'd0,d3: ... ... / .. / ... / .',
      'd0,d3: ...k ...k / cc / ...c / c',
    ]);
  });
});
