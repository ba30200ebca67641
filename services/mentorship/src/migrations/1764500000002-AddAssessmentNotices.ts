import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Mentor notices about a mentee's summative assessment below the expected level
 * (AssessmentSubmitted). Such a notice has no placement window, so the placement columns
 * become nullable and a CHECK says which columns each kind fills. One notice per submission
 * and mentor whatever the amendments; placement notices stay unique per placement and mentor
 * (now a partial index, so several submissions of one placement do not collide).
 */
export class AddAssessmentNotices1764500000002 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE mentor_notice DROP CONSTRAINT mentor_notice_kind_check`);
    await q.query(`ALTER TABLE mentor_notice DROP CONSTRAINT mentor_notice_placement_id_mentor_id_kind_key`);
    await q.query(`
      ALTER TABLE mentor_notice
        ALTER COLUMN placement_id DROP NOT NULL,
        ALTER COLUMN hospital_id DROP NOT NULL,
        ALTER COLUMN department_id DROP NOT NULL,
        ALTER COLUMN starts_on DROP NOT NULL,
        ALTER COLUMN ends_on DROP NOT NULL,
        ADD COLUMN submission_id uuid,
        ADD COLUMN task_id uuid,
        ADD COLUMN submission_version int,
        ADD COLUMN competency_ids uuid[],
        ADD CONSTRAINT mentor_notice_kind_check CHECK (
          (kind = 'PLACEMENT_STARTED' AND placement_id IS NOT NULL AND hospital_id IS NOT NULL AND department_id IS NOT NULL
            AND starts_on IS NOT NULL AND ends_on IS NOT NULL AND submission_id IS NULL)
          OR (kind = 'SUMMATIVE_BELOW_EXPECTED' AND submission_id IS NOT NULL AND task_id IS NOT NULL AND submission_version >= 1
            AND cardinality(competency_ids) > 0 AND hospital_id IS NULL)),
        ADD CONSTRAINT mentor_notice_submission_mentor_key UNIQUE (submission_id, mentor_id)`);
    await q.query(
      `CREATE UNIQUE INDEX mentor_notice_placement_mentor ON mentor_notice (placement_id, mentor_id) WHERE kind = 'PLACEMENT_STARTED'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM mentor_notice WHERE kind <> 'PLACEMENT_STARTED'`);
    await q.query(`DROP INDEX mentor_notice_placement_mentor`);
    await q.query(`
      ALTER TABLE mentor_notice
        DROP CONSTRAINT mentor_notice_submission_mentor_key,
        DROP CONSTRAINT mentor_notice_kind_check,
        DROP COLUMN competency_ids,
        DROP COLUMN submission_version,
        DROP COLUMN task_id,
        DROP COLUMN submission_id,
        ALTER COLUMN placement_id SET NOT NULL,
        ALTER COLUMN hospital_id SET NOT NULL,
        ALTER COLUMN department_id SET NOT NULL,
        ALTER COLUMN starts_on SET NOT NULL,
        ALTER COLUMN ends_on SET NOT NULL,
        ADD CONSTRAINT mentor_notice_kind_check CHECK (kind IN ('PLACEMENT_STARTED')),
        ADD CONSTRAINT mentor_notice_placement_id_mentor_id_kind_key UNIQUE (placement_id, mentor_id, kind)`);
  }
}
