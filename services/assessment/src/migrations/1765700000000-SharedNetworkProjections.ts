import { addFactColumns, dropFactColumns } from '@medcollab/projections';
import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Issue #11 (ADR 0011): assessment's projections of the network's facts take the one shape of
 * @medcollab/projections; the tables keep their names and rows, and gain the columns they
 * lacked. Columns the network always sends but these rows never got stay null until
 * `pnpm projections:rebuild --service assessment` (docs/operations.md) refills them.
 */
export class SharedNetworkProjections1765700000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await addFactColumns(q, 'known_student', ['cohort_year', 'prior_clinical_years', 'given_name', 'family_name', 'active', 'updated_at']);
    await addFactColumns(q, 'known_staff', ['given_name', 'family_name', 'active', 'updated_at']);
    await addFactColumns(q, 'known_agreement', ['starts_on', 'ends_on', 'ended_on', 'department_ids', 'updated_at']);
  }

  async down(q: QueryRunner): Promise<void> {
    await dropFactColumns(q, 'known_agreement', ['starts_on', 'ends_on', 'ended_on', 'department_ids', 'updated_at']);
    await dropFactColumns(q, 'known_staff', ['given_name', 'family_name', 'active', 'updated_at']);
    await dropFactColumns(q, 'known_student', ['cohort_year', 'prior_clinical_years', 'given_name', 'family_name', 'active', 'updated_at']);
  }
}
