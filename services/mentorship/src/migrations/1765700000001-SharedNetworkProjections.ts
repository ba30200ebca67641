import { addFactColumns, dropFactColumns } from '@medcollab/projections';
import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Issue #11 (ADR 0011): mentorship's projections of the network's facts take the one shape of
 * @medcollab/projections; the tables keep their names and rows, and gain the columns they
 * lacked. Columns the network always sends but these rows never got stay null until
 * `pnpm projections:rebuild --service mentorship` (docs/operations.md) refills them.
 */
export class SharedNetworkProjections1765700000001 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await addFactColumns(q, 'known_student', ['given_name', 'family_name', 'active', 'updated_at']);
    await addFactColumns(q, 'known_staff', ['given_name', 'family_name', 'active', 'updated_at']);
    await addFactColumns(q, 'known_agreement', ['department_ids', 'updated_at']);
  }

  async down(q: QueryRunner): Promise<void> {
    await dropFactColumns(q, 'known_agreement', ['department_ids', 'updated_at']);
    await dropFactColumns(q, 'known_staff', ['given_name', 'family_name', 'active', 'updated_at']);
    await dropFactColumns(q, 'known_student', ['given_name', 'family_name', 'active', 'updated_at']);
  }
}
