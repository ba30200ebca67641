import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Instruments and their items, the instrument each school's placements use, tasks (and the
 * placement tasks sampled out), submissions with their amendments, and the competency
 * observations submissions give. The database repeats the rules it can hold on its own:
 * statuses, one task per placement and role, one submission per task, a declined task has a
 * reason.
 */
export class CreateAssessmentTables1764400000001 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE instrument (
        id uuid PRIMARY KEY,
        kind text NOT NULL,
        title text NOT NULL,
        purpose text NOT NULL CHECK (purpose IN ('FORMATIVE', 'SUMMATIVE')),
        description text,
        owner_institution_id uuid,
        library_key text UNIQUE,
        created_by uuid,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE instrument_item (
        instrument_id uuid NOT NULL REFERENCES instrument (id),
        key text NOT NULL,
        position int NOT NULL,
        label text NOT NULL,
        category text,
        required boolean NOT NULL,
        scale jsonb NOT NULL,
        competency_ids uuid[] NOT NULL DEFAULT '{}',
        PRIMARY KEY (instrument_id, key)
      )`);

    // The instrument a school's supervisors assess with at the end of a placement (per program, or school-wide).
    await q.query(`
      CREATE TABLE placement_instrument (
        id uuid PRIMARY KEY,
        school_id uuid NOT NULL,
        program_id uuid,
        instrument_id uuid NOT NULL REFERENCES instrument (id),
        updated_by uuid NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await q.query(
      `CREATE UNIQUE INDEX placement_instrument_unique ON placement_instrument (school_id, COALESCE(program_id, '00000000-0000-0000-0000-000000000000'::uuid))`,
    );

    await q.query(`
      CREATE TABLE assessment_task (
        id uuid PRIMARY KEY,
        instrument_id uuid NOT NULL REFERENCES instrument (id),
        role text NOT NULL CHECK (role IN ('SUPERVISOR_ASSESSMENT', 'SITE_EVALUATION', 'TEACHER_EVALUATION', 'ASSIGNED')),
        status text NOT NULL CHECK (status IN ('PENDING', 'SUBMITTED', 'DECLINED', 'EXPIRED')),
        assessor_id uuid NOT NULL,
        student_id uuid NOT NULL,
        school_id uuid NOT NULL,
        subject_staff_id uuid,
        subject_department_id uuid,
        placement_id uuid,
        hospital_id uuid,
        block_id uuid,
        due_at timestamptz NOT NULL,
        assigned_at timestamptz NOT NULL,
        assigned_by uuid,
        week text NOT NULL,
        academic_year text NOT NULL,
        priority text,
        decline_reason text,
        declined_at timestamptz,
        submitted_at timestamptz,
        expired_at timestamptz,
        CHECK ((status = 'DECLINED') = (decline_reason IS NOT NULL)),
        CHECK ((role = 'ASSIGNED') OR placement_id IS NOT NULL)
      )`);
    // Exactly one task per placement and role, whatever the events do (the inbox is the first guard).
    await q.query(`CREATE UNIQUE INDEX assessment_task_placement_role ON assessment_task (placement_id, role) WHERE role <> 'ASSIGNED'`);
    await q.query(`CREATE INDEX assessment_task_assessor_week ON assessment_task (assessor_id, week)`);
    await q.query(`CREATE INDEX assessment_task_assessor ON assessment_task (assessor_id, assigned_at, id)`);
    await q.query(`CREATE INDEX assessment_task_student ON assessment_task (student_id, assigned_at, id)`);
    await q.query(`CREATE INDEX assessment_task_placement ON assessment_task (placement_id) WHERE placement_id IS NOT NULL`);
    await q.query(`CREATE INDEX assessment_task_pending_due ON assessment_task (due_at) WHERE status = 'PENDING'`);
    await q.query(`CREATE INDEX assessment_task_teacher ON assessment_task (subject_staff_id) WHERE role = 'TEACHER_EVALUATION'`);
    await q.query(`CREATE INDEX assessment_task_site ON assessment_task (hospital_id, block_id) WHERE role = 'SITE_EVALUATION'`);

    // Placement tasks that were not given, and why (burden cap, displaced, no supervisor named).
    await q.query(`
      CREATE TABLE task_sampling (
        placement_id uuid NOT NULL,
        role text NOT NULL,
        reason text NOT NULL CHECK (reason IN ('WEEKLY_CAP', 'DISPLACED', 'NO_SUPERVISOR')),
        assessor_id uuid,
        student_id uuid NOT NULL,
        school_id uuid NOT NULL,
        instrument_id uuid NOT NULL REFERENCES instrument (id),
        week text NOT NULL,
        priority text,
        displaced_task_id uuid,
        decided_at timestamptz NOT NULL,
        PRIMARY KEY (placement_id, role)
      )`);
    await q.query(`CREATE INDEX task_sampling_school ON task_sampling (school_id, decided_at)`);

    await q.query(`
      CREATE TABLE submission (
        id uuid PRIMARY KEY,
        task_id uuid NOT NULL UNIQUE REFERENCES assessment_task (id),
        status text NOT NULL CHECK (status IN ('DRAFT', 'SUBMITTED')),
        responses jsonb NOT NULL,
        comment text,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        submitted_at timestamptz,
        CHECK ((status = 'SUBMITTED') = (submitted_at IS NOT NULL))
      )`);
    await q.query(`
      CREATE TABLE submission_amendment (
        submission_id uuid NOT NULL REFERENCES submission (id),
        version int NOT NULL CHECK (version >= 2),
        responses jsonb NOT NULL,
        changed_item_keys text[] NOT NULL,
        reason text NOT NULL,
        amended_by uuid NOT NULL,
        amended_at timestamptz NOT NULL,
        PRIMARY KEY (submission_id, version)
      )`);

    // One row per rated answer of an item mapped to a competency, for the submission's current version.
    await q.query(`
      CREATE TABLE competency_observation (
        submission_id uuid NOT NULL REFERENCES submission (id),
        item_key text NOT NULL,
        competency_id uuid NOT NULL,
        student_id uuid NOT NULL,
        scale_type text NOT NULL CHECK (scale_type IN ('LIKERT', 'NOTSS', 'ENTRUSTMENT', 'CHECKLIST')),
        entrustment_mode text,
        scale_min double precision NOT NULL,
        scale_max double precision NOT NULL,
        value double precision NOT NULL,
        observed_at timestamptz NOT NULL,
        PRIMARY KEY (submission_id, item_key, competency_id)
      )`);
    await q.query(`CREATE INDEX competency_observation_student ON competency_observation (student_id, competency_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'competency_observation',
      'submission_amendment',
      'submission',
      'task_sampling',
      'assessment_task',
      'placement_instrument',
      'instrument_item',
      'instrument',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
