import { releaseOverTime } from '../../src/domain/release-over-time';
import pinned from './release-over-time.pinned.json';
import { stepsToText, tableFromText } from './release-over-time-text';

/**
 * The decisions themselves are pinned, not only their properties. A report once shown cannot be
 * taken back: readers keep it, so if a later version of the rule decided an earlier block
 * differently, the old and new reports together could give a hidden cell away. A change to which
 * cells are hidden (the order complementary suppression tries positions in, what counts as known)
 * must therefore be deliberate; the property tests (release-over-time.test.ts) only show that
 * each version is safe on its own.
 *
 * The corpus: 150 tables of 1-4 rows and blocks, k from 2 to 5, cells absent, empty or with 1-6
 * evaluators (sometimes more evaluations than evaluators), listed in random order, some naming a
 * block that has not closed. If a change is meant, regenerate the expected decisions with
 * `pnpm exec tsx services/assessment/test/domain/pin-release-over-time.ts` and say why in the commit.
 */
describe('release decisions over time, pinned', () => {
  it('decides the corpus exactly as before, step by step', () => {
    const decided = pinned.map(({ k, table }) => ({ k, table, steps: stepsToText(releaseOverTime(tableFromText(table), k)) }));
    expect(decided).toEqual(pinned);
  });
});
