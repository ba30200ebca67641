import { changedItemKeys, checkResponses, type ItemResponse } from '../../src/domain/responses';
import { type InstrumentItemDef, NOTSS_SCALE } from '../../src/domain/scales';
import { INSTRUMENT_LIBRARY } from '../../src/seed/instrument-library';

const likert: InstrumentItemDef = {
  key: 'overall',
  label: 'Overall',
  category: null,
  required: true,
  scale: { type: 'LIKERT', min: 1, max: 9, labels: [], entrustmentMode: null, allowsNotApplicable: false },
  competencyIds: [],
};
const notss: InstrumentItemDef = {
  key: 'SA.1',
  label: 'Gathering information',
  category: 'Situation awareness',
  required: true,
  scale: NOTSS_SCALE,
  competencyIds: [],
};
const check: InstrumentItemDef = {
  key: 'consent',
  label: 'Consent',
  category: null,
  required: true,
  scale: { type: 'CHECKLIST', min: null, max: null, labels: [], entrustmentMode: null, allowsNotApplicable: false },
  competencyIds: [],
};
const text: InstrumentItemDef = {
  key: 'notes',
  label: 'Notes',
  category: null,
  required: false,
  scale: { type: 'NARRATIVE', min: null, max: null, labels: [], entrustmentMode: null, allowsNotApplicable: false },
  competencyIds: [],
};
const items = [likert, notss, check, text];

const reasons = (input: Parameters<typeof checkResponses>[1], complete = true) =>
  checkResponses(items, input, { complete }).issues.map((i) => `${i.path}:${i.reason}`);

describe('checking responses against an instrument', () => {
  it('accepts a complete answer and returns it in item order, N/A where allowed', () => {
    const checked = checkResponses(
      items,
      [
        { itemKey: 'consent', done: false },
        { itemKey: 'SA.1', notApplicable: true },
        { itemKey: 'overall', rating: 9 },
      ],
      { complete: true },
    );
    expect(checked.issues).toEqual([]);
    expect(checked.responses.map((r) => r.itemKey)).toEqual(['overall', 'SA.1', 'consent']);
    expect(checked.responses[1]).toEqual({ itemKey: 'SA.1', rating: null, notApplicable: true, done: null, text: null });
  });

  it('names every item at fault, with the reason', () => {
    expect(
      reasons([
        { itemKey: 'overall', rating: 10 },
        { itemKey: 'SA.1', rating: 0 },
        { itemKey: 'consent', rating: 1 },
      ]),
    ).toEqual(['responses.overall:VALUE_OFF_SCALE', 'responses.SA.1:VALUE_OFF_SCALE', 'responses.consent:WRONG_VALUE_TYPE']);
    expect(
      reasons([
        { itemKey: 'overall', rating: 2.5 },
        { itemKey: 'SA.1', rating: 3 },
        { itemKey: 'consent', done: true },
      ]),
    ).toEqual(['responses.overall:VALUE_OFF_SCALE']);
    expect(
      reasons([
        { itemKey: 'overall', notApplicable: true },
        { itemKey: 'SA.1', rating: 3 },
        { itemKey: 'consent', done: true },
      ]),
    ).toEqual(['responses.overall:NOT_APPLICABLE_NOT_ALLOWED']);
    expect(
      reasons([
        { itemKey: 'SA.1', notApplicable: true, rating: 2 },
        { itemKey: 'overall', rating: 3 },
        { itemKey: 'consent', done: true },
      ]),
    ).toEqual(['responses.SA.1:WRONG_VALUE_TYPE']);
    expect(
      reasons(
        [
          { itemKey: 'nope', rating: 1 },
          { itemKey: 'overall', rating: 1 },
          { itemKey: 'overall', rating: 2 },
        ],
        false,
      ),
    ).toEqual(['responses.nope:UNKNOWN_ITEM', 'responses.overall:DUPLICATE_ITEM']);
    expect(reasons([{ itemKey: 'notes', rating: 3 }], false)).toEqual(['responses.notes:WRONG_VALUE_TYPE']);
    expect(reasons([{ itemKey: 'notes', text: 'x'.repeat(4001) }], false)).toEqual(['responses.notes:VALUE_OFF_SCALE']);
  });

  it('asks for every required item only on submission; an empty answer is no answer', () => {
    expect(reasons([{ itemKey: 'overall', rating: 5 }], false)).toEqual([]);
    expect(
      reasons([
        { itemKey: 'overall', rating: 5 },
        { itemKey: 'consent', done: null },
      ]),
    ).toEqual(['responses.SA.1:MISSING_REQUIRED_ITEM', 'responses.consent:MISSING_REQUIRED_ITEM']);
    expect(checkResponses(items, [{ itemKey: 'notes', text: '   ' }], { complete: false }).responses).toEqual([]);
  });

  it('accepts a complete library mini-CEX and refuses one without its overall rating', () => {
    const miniCex = INSTRUMENT_LIBRARY.find((i) => i.kind === 'MINI_CEX')!.items;
    const answers = miniCex.filter((i) => i.scale.type !== 'NARRATIVE').map((i) => ({ itemKey: i.key, rating: 6 }));
    expect(checkResponses(miniCex, answers, { complete: true }).issues).toEqual([]);
    expect(
      checkResponses(
        miniCex,
        answers.filter((a) => a.itemKey !== 'overall'),
        { complete: true },
      ).issues.map((i) => i.message),
    ).toEqual(["item 'overall' (Overall clinical competence) is required"]);
  });

  it('tells which items an amendment changes', () => {
    const r = (itemKey: string, rating: number): ItemResponse => ({ itemKey, rating, notApplicable: false, done: null, text: null });
    expect(changedItemKeys([r('a', 1), r('b', 2)], [r('a', 1), r('b', 3), r('c', 1)])).toEqual(['b', 'c']);
    expect(changedItemKeys([r('a', 1)], [])).toEqual(['a']);
    expect(changedItemKeys([r('a', 1)], [r('a', 1)])).toEqual([]);
  });
});
