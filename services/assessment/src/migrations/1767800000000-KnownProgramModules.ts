import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Issue 13, teaching quality per module (ADR 0031): a learner's evaluation names the module of
 * their program that the placement belongs to — the first module, in the program's order, that
 * integrates the department's specialty. Assessment keeps what it needs for that: each program's
 * modules with their disciplines (ProgramPublished) and each department's specialty
 * (AgreementActivated's departmentSpecialties).
 */
export class KnownProgramModules1767800000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE known_program_module (
        program_id uuid NOT NULL,
        module_id uuid NOT NULL,
        position int NOT NULL,
        disciplines text[] NOT NULL DEFAULT '{}',
        PRIMARY KEY (program_id, module_id)
      )`);
    await q.query(`CREATE TABLE known_department_specialty (department_id uuid PRIMARY KEY, specialty text NOT NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE known_department_specialty`);
    await q.query(`DROP TABLE known_program_module`);
  }
}
