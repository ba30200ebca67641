import { z } from 'zod';
import { isAcademicYear } from './calendar';
import { ASSESSMENT_PURPOSES, ENTRUSTMENT_MODES, INSTRUMENT_KINDS, SCALE_TYPES } from './model';
import { MAX_TEXT_LENGTH } from './responses';
import { CHEN_LABELS, type InstrumentItemDef, instrumentKindIssues, type ItemScale, NOTSS_SCALE, O_SCORE_LABELS } from './scales';

/** Mutation inputs, checked before anything is read or written; errors name the field (`items.2.scale.max`). */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string): boolean => UUID.test(value);

const uuid = z.string().regex(UUID, 'must be a UUID');
const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `at most ${max} characters`);
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `at most ${max} characters`)
    .nullish()
    .transform((v) => v || null);

export const ITEM_KEY = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/;

const scaleInput = z.object({
  type: z.enum(SCALE_TYPES),
  min: z.number().int('must be an integer').nullish(),
  max: z.number().int('must be an integer').nullish(),
  labels: z
    .array(z.object({ value: z.number().int('must be an integer'), label: text(200) }))
    .max(11, 'at most 11 labels')
    .nullish(),
  entrustmentMode: z.enum(ENTRUSTMENT_MODES).nullish(),
  allowsNotApplicable: z.boolean().nullish(),
});
type ScaleInput = z.infer<typeof scaleInput>;

/** Fills a scale's defaults (NOTSS 1–4 with N/A, entrustment 1–5 with Chen or O-SCORE labels). */
function toScale(s: ScaleInput): ItemScale {
  const base = { labels: s.labels ?? [], entrustmentMode: null, allowsNotApplicable: s.allowsNotApplicable ?? false };
  switch (s.type) {
    case 'NOTSS':
      return { ...NOTSS_SCALE, labels: s.labels ?? NOTSS_SCALE.labels, allowsNotApplicable: s.allowsNotApplicable ?? true };
    case 'ENTRUSTMENT': {
      const min = s.min ?? 1;
      const max = s.max ?? 5;
      const standard = min === 1 && max === 5 ? (s.entrustmentMode === 'PROSPECTIVE' ? CHEN_LABELS : O_SCORE_LABELS) : [];
      return { ...base, type: 'ENTRUSTMENT', min, max, labels: s.labels ?? standard, entrustmentMode: s.entrustmentMode ?? null };
    }
    case 'LIKERT':
      return { ...base, type: 'LIKERT', min: s.min ?? null, max: s.max ?? null };
    default:
      return { ...base, type: s.type, min: null, max: null };
  }
}

/** Rules of one scale on its own; paths are relative to the scale. */
function scaleIssues(input: ScaleInput, scale: ItemScale): { path: string[]; message: string }[] {
  const issues: { path: string[]; message: string }[] = [];
  const add = (path: string, message: string) => issues.push({ path: [path], message });
  if (input.type !== 'ENTRUSTMENT' && input.entrustmentMode) add('entrustmentMode', 'only ENTRUSTMENT scales have a mode');
  if (input.type === 'ENTRUSTMENT' && !input.entrustmentMode)
    add('entrustmentMode', 'an ENTRUSTMENT scale is RETROSPECTIVE or PROSPECTIVE');
  if (input.type === 'CHECKLIST' || input.type === 'NARRATIVE') {
    if (input.min != null || input.max != null) add('min', `a ${input.type} item has no numeric range`);
    if (input.labels?.length) add('labels', `a ${input.type} item has no rating labels`);
    return issues;
  }
  if (input.type === 'NOTSS' && ((input.min != null && input.min !== 1) || (input.max != null && input.max !== 4)))
    add('max', 'NOTSS rates 1 to 4');
  if (input.type === 'LIKERT' && (input.min == null || input.max == null))
    add(input.min == null ? 'min' : 'max', 'a LIKERT scale needs min and max');
  const { min, max } = scale;
  if (min !== null && max !== null) {
    if (min < 0) add('min', 'must be 0 or more');
    if (max <= min) add('max', 'must be greater than min');
    if (max - min > 10) add('max', 'a scale has at most 11 points');
    const values = scale.labels.map((l) => l.value);
    if (values.some((v) => v < min || v > max)) add('labels', `label values must lie in ${min}..${max}`);
    if (new Set(values).size !== values.length) add('labels', 'one label per value');
  }
  return issues;
}

const itemInput = z
  .object({
    key: z.string().regex(ITEM_KEY, 'letters, digits, "_", "." or "-", at most 40, starting with a letter or digit'),
    label: text(300),
    category: optionalText(100),
    required: z.boolean().nullish(),
    scale: scaleInput,
    competencyIds: z.array(uuid).max(20, 'at most 20 competencies').nullish(),
  })
  .superRefine((item, ctx) => {
    for (const issue of scaleIssues(item.scale, toScale(item.scale)))
      ctx.addIssue({ code: 'custom', path: ['scale', ...issue.path], message: issue.message });
    const ids = item.competencyIds ?? [];
    if (new Set(ids).size !== ids.length) ctx.addIssue({ code: 'custom', path: ['competencyIds'], message: 'each competency once' });
  })
  .transform((item): InstrumentItemDef => ({
    key: item.key,
    label: item.label,
    category: item.category,
    required: item.required ?? true,
    scale: toScale(item.scale),
    competencyIds: item.competencyIds ?? [],
  }));

export const createInstrumentSchema = z
  .object({
    kind: z.enum(INSTRUMENT_KINDS),
    title: text(200),
    purpose: z.enum(ASSESSMENT_PURPOSES),
    description: optionalText(2000),
    ownerInstitutionId: uuid.nullish().transform((v) => v ?? null),
    items: z.array(itemInput).min(1, 'at least one item').max(60, 'at most 60 items'),
  })
  .superRefine((input, ctx) => {
    if (!input.items.length) return;
    const seen = new Set<string>();
    input.items.forEach((item, i) => {
      const key = item.key.toLowerCase();
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['items', i, 'key'], message: `item key "${item.key}" is used twice` });
      seen.add(key);
    });
    for (const issue of instrumentKindIssues(input.kind, input.items))
      ctx.addIssue({ code: 'custom', path: issue.path.split('.'), message: issue.message });
  });
export type CreateInstrumentInput = z.infer<typeof createInstrumentSchema>;

const responseInput = z.object({
  itemKey: z.string().min(1, 'must not be empty').max(40, 'at most 40 characters'),
  rating: z.number().nullish(),
  notApplicable: z.boolean().nullish(),
  done: z.boolean().nullish(),
  text: z.string().max(MAX_TEXT_LENGTH, `at most ${MAX_TEXT_LENGTH} characters`).nullish(),
});
const responses = z.array(responseInput).max(100, 'at most 100 responses');

export const assignAssessmentSchema = z.object({
  instrumentId: uuid,
  studentId: uuid,
  assessorId: uuid,
  // The DateTime scalar hands resolvers a Date; direct callers may pass the ISO text.
  dueAt: z.union([z.date(), z.iso.datetime({ offset: true })], { message: 'must be an ISO 8601 instant' }).transform((v) => new Date(v)),
  placementId: uuid.nullish().transform((v) => v ?? null),
});
export type AssignAssessmentInput = z.infer<typeof assignAssessmentSchema>;

export const saveDraftSchema = z.object({ taskId: uuid, responses, comment: optionalText(MAX_TEXT_LENGTH) });
export type SaveDraftInput = z.infer<typeof saveDraftSchema>;

export const submitAssessmentSchema = z.object({
  taskId: uuid,
  responses: responses.nullish().transform((v) => v ?? []),
  comment: optionalText(MAX_TEXT_LENGTH),
});
export type SubmitAssessmentInput = z.infer<typeof submitAssessmentSchema>;

export const declineAssessmentSchema = z.object({
  taskId: uuid,
  reason: z.string().trim().min(5, 'give a reason (at least 5 characters)').max(1000, 'at most 1000 characters'),
});
export type DeclineAssessmentInput = z.infer<typeof declineAssessmentSchema>;

export const amendSubmissionSchema = z.object({
  submissionId: uuid,
  responses: responses.min(1, 'at least one changed response'),
  reason: z.string().trim().min(5, 'give a reason (at least 5 characters)').max(1000, 'at most 1000 characters'),
});
export type AmendSubmissionInput = z.infer<typeof amendSubmissionSchema>;

export const setPlacementInstrumentSchema = z.object({
  schoolId: uuid,
  programId: uuid.nullish().transform((v) => v ?? null),
  instrumentId: uuid,
});
export type SetPlacementInstrumentInput = z.infer<typeof setPlacementInstrumentSchema>;

export const academicYearSchema = z.object({
  academicYear: z.string().refine(isAcademicYear, 'must be two consecutive years, e.g. 2026-2027'),
});

export const taskFilterSchema = z
  .object({ status: z.enum(['PENDING', 'SUBMITTED', 'DECLINED', 'EXPIRED']).nullish() })
  .nullish()
  .transform((v) => ({ status: v?.status ?? null }));
