import { type EntityManager } from 'typeorm';
import { type EntrustmentMode } from '../domain/model';
import { type ItemResponse } from '../domain/responses';
import { type InstrumentItemDef, isRated } from '../domain/scales';

/** One rated answer of an item mapped to a competency, as stored in competency_observation. */
export interface ObservationRow {
  submissionId: string;
  itemKey: string;
  competencyId: string;
  studentId: string;
  scaleType: 'LIKERT' | 'NOTSS' | 'ENTRUSTMENT' | 'CHECKLIST';
  entrustmentMode: EntrustmentMode | null;
  min: number;
  max: number;
  value: number;
  observedAt: Date;
}

/**
 * The competency evidence of a set of answers: every rating (N/A left out) and every checklist
 * answer (done 1, not done 0) of an item mapped to competencies, once per competency.
 */
export function observationsOf(
  items: readonly InstrumentItemDef[],
  responses: readonly ItemResponse[],
  at: { submissionId: string; studentId: string; observedAt: Date },
): ObservationRow[] {
  const byKey = new Map(items.map((i) => [i.key, i]));
  const rows: ObservationRow[] = [];
  for (const r of responses) {
    const item = byKey.get(r.itemKey);
    if (!item || r.notApplicable || !item.competencyIds.length) continue;
    const { scale } = item;
    let value: number | null = null;
    if (isRated(scale.type) && r.rating !== null) value = r.rating;
    if (scale.type === 'CHECKLIST' && r.done !== null) value = r.done ? 1 : 0;
    if (value === null) continue;
    const checklist = scale.type === 'CHECKLIST';
    for (const competencyId of item.competencyIds) {
      // Fields named one by one: spreading `at` into every row made this function the scale
      // seed's main CPU cost (≈10× slower for the 2.4 M rows of the large world).
      rows.push({
        submissionId: at.submissionId,
        studentId: at.studentId,
        observedAt: at.observedAt,
        itemKey: item.key,
        competencyId,
        scaleType: scale.type as ObservationRow['scaleType'],
        entrustmentMode: scale.entrustmentMode,
        min: checklist ? 0 : (scale.min as number),
        max: checklist ? 1 : (scale.max as number),
        value,
      });
    }
  }
  return rows;
}

/** Replaces a submission's observations (one statement each way, whatever their number). */
export async function writeObservations(em: EntityManager, submissionId: string, rows: readonly ObservationRow[]): Promise<void> {
  await em.query(`DELETE FROM competency_observation WHERE submission_id = $1`, [submissionId]);
  if (!rows.length) return;
  await em.query(
    `INSERT INTO competency_observation (submission_id, item_key, competency_id, student_id, scale_type, entrustment_mode, scale_min, scale_max, value, observed_at)
     SELECT o.submission_id, o.item_key, o.competency_id, o.student_id, o.scale_type, o.entrustment_mode, o.scale_min, o.scale_max, o.value, o.observed_at
       FROM jsonb_to_recordset($1::jsonb) AS o(submission_id uuid, item_key text, competency_id uuid, student_id uuid, scale_type text,
            entrustment_mode text, scale_min double precision, scale_max double precision, value double precision, observed_at timestamptz)`,
    [
      JSON.stringify(
        rows.map((r) => ({
          submission_id: r.submissionId,
          item_key: r.itemKey,
          competency_id: r.competencyId,
          student_id: r.studentId,
          scale_type: r.scaleType,
          entrustment_mode: r.entrustmentMode,
          scale_min: r.min,
          scale_max: r.max,
          value: r.value,
          observed_at: r.observedAt.toISOString(),
        })),
      ),
    ],
  );
}
