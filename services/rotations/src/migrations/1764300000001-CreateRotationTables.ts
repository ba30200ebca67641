import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Blocks, seats, placements (with their audit trail), preferences, swaps, calendar tokens and
 * requirements. The database repeats the rules it can hold on its own (statuses, date order,
 * one live placement per student and block, one seat row per school/department/block).
 */
export class CreateRotationTables1764300000001 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE rotation_block (
        id uuid PRIMARY KEY,
        school_id uuid NOT NULL,
        academic_year text NOT NULL,
        name text NOT NULL,
        starts_on date NOT NULL,
        ends_on date NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (ends_on > starts_on)
      )`);
    await q.query(`CREATE INDEX rotation_block_school ON rotation_block (school_id, starts_on)`);
    await q.query(`CREATE UNIQUE INDEX rotation_block_name_unique ON rotation_block (school_id, academic_year, lower(name))`);

    await q.query(`
      CREATE TABLE site_capacity (
        id uuid PRIMARY KEY,
        department_id uuid NOT NULL,
        hospital_id uuid NOT NULL,
        block_id uuid NOT NULL REFERENCES rotation_block (id),
        school_id uuid NOT NULL,
        seats int NOT NULL CHECK (seats >= 0),
        updated_by uuid,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT site_capacity_unique UNIQUE (department_id, block_id, school_id)
      )`);
    await q.query(`CREATE INDEX site_capacity_block ON site_capacity (block_id)`);

    await q.query(`
      CREATE TABLE placement (
        id uuid PRIMARY KEY,
        student_id uuid NOT NULL,
        school_id uuid NOT NULL,
        hospital_id uuid NOT NULL,
        department_id uuid NOT NULL,
        block_id uuid NOT NULL REFERENCES rotation_block (id),
        supervisor_id uuid,
        status text NOT NULL CHECK (status IN ('PROPOSED', 'CONFIRMED', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED')),
        starts_on date NOT NULL,
        ends_on date NOT NULL,
        access_until timestamptz,
        cancel_reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((status = 'CANCELLED') = (cancel_reason IS NOT NULL))
      )`);
    // The backstop of ALREADY_PLACED_IN_BLOCK when two requests race past the check.
    await q.query(`CREATE UNIQUE INDEX placement_student_block_live ON placement (student_id, block_id) WHERE status <> 'CANCELLED'`);
    await q.query(`CREATE INDEX placement_seat ON placement (department_id, block_id, school_id) WHERE status <> 'CANCELLED'`);
    await q.query(`CREATE INDEX placement_student ON placement (student_id, starts_on)`);
    await q.query(`CREATE INDEX placement_school ON placement (school_id, starts_on, id)`);
    await q.query(`CREATE INDEX placement_hospital ON placement (hospital_id, starts_on, id)`);
    await q.query(`CREATE INDEX placement_supervisor ON placement (supervisor_id) WHERE supervisor_id IS NOT NULL`);

    await q.query(`
      CREATE TABLE placement_event (
        id bigserial PRIMARY KEY,
        placement_id uuid NOT NULL REFERENCES placement (id),
        kind text NOT NULL,
        from_status text,
        to_status text NOT NULL,
        actor_id text NOT NULL,
        details jsonb NOT NULL DEFAULT '{}',
        at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX placement_event_placement ON placement_event (placement_id, id)`);

    await q.query(`
      CREATE TABLE preference_window (
        id uuid PRIMARY KEY,
        school_id uuid NOT NULL,
        academic_year text NOT NULL,
        opens_at timestamptz NOT NULL,
        closes_at timestamptz NOT NULL,
        CHECK (closes_at > opens_at),
        CONSTRAINT preference_window_unique UNIQUE (school_id, academic_year)
      )`);
    await q.query(`
      CREATE TABLE rotation_preference (
        id uuid PRIMARY KEY,
        student_id uuid NOT NULL,
        school_id uuid NOT NULL,
        academic_year text NOT NULL,
        rank int NOT NULL CHECK (rank >= 1),
        department_id uuid,
        specialty text,
        block_id uuid REFERENCES rotation_block (id),
        submitted_at timestamptz NOT NULL,
        CHECK ((department_id IS NULL) <> (specialty IS NULL)),
        CONSTRAINT rotation_preference_rank_unique UNIQUE (student_id, academic_year, rank)
      )`);
    await q.query(`CREATE INDEX rotation_preference_school ON rotation_preference (school_id, academic_year)`);

    await q.query(`
      CREATE TABLE swap_request (
        id uuid PRIMARY KEY,
        school_id uuid NOT NULL,
        placement_id uuid NOT NULL REFERENCES placement (id),
        with_placement_id uuid REFERENCES placement (id),
        to_department_id uuid,
        status text NOT NULL CHECK (status IN ('AWAITING_PEER', 'AWAITING_COORDINATOR', 'DECLINED', 'APPROVED', 'REJECTED')),
        note text,
        requested_by uuid NOT NULL,
        requested_at timestamptz NOT NULL,
        responded_by uuid,
        responded_at timestamptz,
        decided_by uuid,
        decided_at timestamptz,
        decision_note text,
        CHECK ((with_placement_id IS NULL) <> (to_department_id IS NULL))
      )`);
    await q.query(`CREATE INDEX swap_request_school ON swap_request (school_id, status)`);

    await q.query(`
      CREATE TABLE calendar_token (
        token_hash text PRIMARY KEY,
        owner_kind text NOT NULL CHECK (owner_kind IN ('STUDENT', 'DEPARTMENT')),
        owner_id uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT calendar_token_owner UNIQUE (owner_kind, owner_id)
      )`);

    await q.query(`
      CREATE TABLE rotation_requirement (
        id uuid PRIMARY KEY,
        school_id uuid NOT NULL,
        program_id uuid NOT NULL,
        track_id uuid,
        specialty text NOT NULL,
        blocks int NOT NULL CHECK (blocks >= 1),
        prerequisite_module_ids uuid[] NOT NULL DEFAULT '{}',
        updated_by uuid NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    // One requirement per program, track (or all tracks) and specialty.
    await q.query(
      `CREATE UNIQUE INDEX rotation_requirement_unique ON rotation_requirement (program_id, COALESCE(track_id, '00000000-0000-0000-0000-000000000000'::uuid), specialty)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'rotation_requirement',
      'calendar_token',
      'swap_request',
      'rotation_preference',
      'preference_window',
      'placement_event',
      'placement',
      'site_capacity',
      'rotation_block',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
