import { type EntrustmentMode, type InstrumentKind, type ScaleType } from './model';

/**
 * Instruments are made of items, each answered on one typed scale. The scale says what a
 * response may be (a rating in min..max, done/not done, free text) and how the evidence it
 * gives is turned into a level (see levels.ts): Likert and NOTSS ratings are averaged,
 * entrustment levels never are.
 */
export interface ScaleLabel {
  value: number;
  label: string;
}

export interface ItemScale {
  type: ScaleType;
  /** Lowest and highest rating; null for CHECKLIST and NARRATIVE. */
  min: number | null;
  max: number | null;
  labels: ScaleLabel[];
  /** ENTRUSTMENT only: a look back at what was done, or a decision about what may be done next. */
  entrustmentMode: EntrustmentMode | null;
  /** "Not applicable / not observed" is a valid answer. */
  allowsNotApplicable: boolean;
}

export interface InstrumentItemDef {
  /** Unique within the instrument; responses name items by it. */
  key: string;
  label: string;
  /** E.g. the NOTSS category of an element. */
  category: string | null;
  required: boolean;
  scale: ItemScale;
  /** Curriculum competencies the item gives evidence of. */
  competencyIds: string[];
}

/** The rating scales (everything but CHECKLIST and NARRATIVE). */
export const isRated = (type: ScaleType): boolean => type === 'LIKERT' || type === 'NOTSS' || type === 'ENTRUSTMENT';

/** NOTSS rates each element 1 (poor) to 4 (good), or N/A when the element was not observed. */
export const NOTSS_SCALE: ItemScale = {
  type: 'NOTSS',
  min: 1,
  max: 4,
  labels: [
    { value: 1, label: 'Poor' },
    { value: 2, label: 'Marginal' },
    { value: 3, label: 'Acceptable' },
    { value: 4, label: 'Good' },
  ],
  entrustmentMode: null,
  allowsNotApplicable: true,
};

/** Chen et al.'s prospective entrustment levels (what the learner may do next time). */
export const CHEN_LABELS: ScaleLabel[] = [
  { value: 1, label: 'Not allowed to practise the activity (observe only)' },
  { value: 2, label: 'Allowed to practise with direct, proactive supervision' },
  { value: 3, label: 'Allowed to practise with indirect supervision, on demand' },
  { value: 4, label: 'Allowed to practise unsupervised (distant oversight)' },
  { value: 5, label: 'Allowed to supervise others in the activity' },
];

/** The O-SCORE's retrospective levels (how much the assessor had to do this time). */
export const O_SCORE_LABELS: ScaleLabel[] = [
  { value: 1, label: '"I had to do it"' },
  { value: 2, label: '"I had to talk them through"' },
  { value: 3, label: '"I had to prompt them from time to time"' },
  { value: 4, label: '"I needed to be in the room just in case"' },
  { value: 5, label: '"I did not need to be there"' },
];

export interface InstrumentRuleIssue {
  path: string;
  message: string;
}

/**
 * What each kind of instrument must contain. The zod schema checks each item on its own;
 * these are the rules about the whole instrument, named by path.
 */
export function instrumentKindIssues(kind: InstrumentKind, items: readonly InstrumentItemDef[]): InstrumentRuleIssue[] {
  const issues: InstrumentRuleIssue[] = [];
  const types = items.map((i) => i.scale.type);
  const need = (ok: boolean, message: string) => {
    if (!ok) issues.push({ path: 'items', message });
  };
  switch (kind) {
    case 'NOTSS':
      items.forEach((item, i) => {
        if (item.scale.type !== 'NOTSS' && item.scale.type !== 'NARRATIVE') {
          issues.push({
            path: `items.${i}.scale.type`,
            message: 'a NOTSS instrument rates every element on the NOTSS scale (free-text items aside)',
          });
        }
      });
      need(types.includes('NOTSS'), 'a NOTSS instrument needs at least one NOTSS element');
      break;
    case 'EPA_ENTRUSTMENT':
      need(types.includes('ENTRUSTMENT'), 'an EPA entrustment instrument needs at least one ENTRUSTMENT item');
      break;
    case 'DOPS':
    case 'OSCE_STATION':
      need(types.includes('CHECKLIST'), `a ${kind} instrument needs at least one CHECKLIST item (done / not done)`);
      break;
    case 'SITE_EVALUATION':
    case 'TEACHER_EVALUATION':
      need(types.includes('LIKERT'), 'an evaluation needs at least one LIKERT item');
      items.forEach((item, i) => {
        if (item.scale.type !== 'LIKERT' && item.scale.type !== 'NARRATIVE') {
          issues.push({ path: `items.${i}.scale.type`, message: 'evaluations of sites and teachers use LIKERT and NARRATIVE items only' });
        }
        if (item.competencyIds.length) {
          issues.push({
            path: `items.${i}.competencyIds`,
            message: 'evaluations of sites and teachers give no evidence of a student competency',
          });
        }
      });
      break;
    default:
      need(types.some(isRated) || types.includes('CHECKLIST'), 'the instrument needs at least one rated or checklist item');
  }
  return issues;
}
