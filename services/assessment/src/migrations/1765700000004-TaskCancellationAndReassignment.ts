import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Issue #18: a task whose assessor was deactivated is reassigned (the previous assessor and the
 * reason are kept, for the coordinator) or, when no one can take it, CANCELLED with a reason.
 */
export class TaskCancellationAndReassignment1765700000004 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE assessment_task DROP CONSTRAINT assessment_task_status_check`);
    await q.query(
      `ALTER TABLE assessment_task ADD CONSTRAINT assessment_task_status_check CHECK (status IN ('PENDING', 'SUBMITTED', 'DECLINED', 'EXPIRED', 'CANCELLED'))`,
    );
    await q.query(`
      ALTER TABLE assessment_task
        ADD COLUMN cancel_reason text,
        ADD COLUMN cancelled_at timestamptz,
        ADD COLUMN previous_assessor_id uuid,
        ADD COLUMN reassign_reason text,
        ADD COLUMN reassigned_at timestamptz,
        ADD CONSTRAINT assessment_task_cancelled_has_reason CHECK ((status = 'CANCELLED') = (cancel_reason IS NOT NULL AND cancelled_at IS NOT NULL)),
        ADD CONSTRAINT assessment_task_reassigned_has_reason CHECK ((previous_assessor_id IS NULL) = (reassign_reason IS NULL))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM assessment_task WHERE status = 'CANCELLED'`);
    await q.query(`
      ALTER TABLE assessment_task
        DROP CONSTRAINT assessment_task_reassigned_has_reason,
        DROP CONSTRAINT assessment_task_cancelled_has_reason,
        DROP COLUMN reassigned_at,
        DROP COLUMN reassign_reason,
        DROP COLUMN previous_assessor_id,
        DROP COLUMN cancelled_at,
        DROP COLUMN cancel_reason`);
    await q.query(`ALTER TABLE assessment_task DROP CONSTRAINT assessment_task_status_check`);
    await q.query(
      `ALTER TABLE assessment_task ADD CONSTRAINT assessment_task_status_check CHECK (status IN ('PENDING', 'SUBMITTED', 'DECLINED', 'EXPIRED'))`,
    );
  }
}
