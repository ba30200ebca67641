import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Issue #14: names of students, departments and hospitals, from the network's events, so that
 * allocation explanations and refusals name people and places instead of showing ids. Null
 * until an event that carries them arrives (events written before the fields carry none).
 */
export class KnowNames1764900000015 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE known_student ADD COLUMN given_name text, ADD COLUMN family_name text`);
    await q.query(`ALTER TABLE known_department ADD COLUMN name text, ADD COLUMN hospital_name text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE known_department DROP COLUMN hospital_name, DROP COLUMN name`);
    await q.query(`ALTER TABLE known_student DROP COLUMN family_name, DROP COLUMN given_name`);
  }
}
