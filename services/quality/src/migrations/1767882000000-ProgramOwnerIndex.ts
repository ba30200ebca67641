import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Which school a program's figures belong to is read from its cells (`mayReadProgram`: a program
 * cell kept for a school other than all schools). No index served that read: on a network of
 * 6 M cells it read the whole children index, ~0.75 s for every program report a school's officer
 * opened. A partial index over the program cells alone answers it with one probe.
 */
export class ProgramOwnerIndex1767882000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX rollup_cell_program_owner ON rollup_cell (scope_id, school) WHERE scope_kind = 'PROGRAM'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX rollup_cell_program_owner');
  }
}
