import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Issue #14: a program's (or track's) requirement groups ("2 of {neurology, dermatology, ENT}")
 * and "A before B" precedences, carried into allocation snapshots. A group is identified by its
 * label within (program, track or every track); a precedence by its pair of specialties.
 */
export class RequirementGroupsAndPrecedences1765300000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE rotation_requirement_group (
        id uuid PRIMARY KEY,
        school_id uuid NOT NULL,
        program_id uuid NOT NULL,
        track_id uuid,
        label text NOT NULL,
        specialties text[] NOT NULL,
        min_blocks int NOT NULL CHECK (min_blocks >= 1),
        max_blocks int NOT NULL CHECK (max_blocks >= min_blocks),
        updated_by uuid NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(
      `CREATE UNIQUE INDEX rotation_requirement_group_unique ON rotation_requirement_group (program_id, coalesce(track_id, '00000000-0000-0000-0000-000000000000'::uuid), lower(label))`,
    );
    await q.query(`CREATE INDEX rotation_requirement_group_school ON rotation_requirement_group (school_id, program_id)`);
    await q.query(`
      CREATE TABLE rotation_precedence (
        id uuid PRIMARY KEY,
        school_id uuid NOT NULL,
        program_id uuid NOT NULL,
        track_id uuid,
        before_specialty text NOT NULL,
        after_specialty text NOT NULL CHECK (after_specialty <> before_specialty),
        updated_by uuid NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(
      `CREATE UNIQUE INDEX rotation_precedence_unique ON rotation_precedence (program_id, coalesce(track_id, '00000000-0000-0000-0000-000000000000'::uuid), before_specialty, after_specialty)`,
    );
    await q.query(`CREATE INDEX rotation_precedence_school ON rotation_precedence (school_id, program_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE rotation_precedence`);
    await q.query(`DROP TABLE rotation_requirement_group`);
  }
}
