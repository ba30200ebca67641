import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Quality's history no longer keeps what leads from an evaluation to its evaluator (ADR 0047,
 * src/domain/held-payload.ts): the assessor, student and placement of evaluation tasks' events,
 * and the placement of older evaluation events. No fold reads them, so the rollups are unchanged.
 * `down` cannot bring the ids back (they are gone, as intended) and has nothing to undo in the schema.
 */
export class EvaluatorLinksDropped1767877000001 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `UPDATE applied_event SET payload = payload - 'placementId' WHERE event_type = 'EvaluationSubmitted' AND payload ? 'placementId'`,
    );
    await q.query(
      `UPDATE applied_event SET payload = payload - 'assessorId' - 'studentId' - 'placementId'
        WHERE event_type LIKE 'AssessmentTask%' AND payload->>'role' IN ('SITE_EVALUATION', 'TEACHER_EVALUATION')`,
    );
  }

  async down(): Promise<void> {
    // Nothing to undo: the schema is as it was, and the dropped ids are not to be restored.
  }
}
