import { type MigrationInterface, type QueryRunner } from 'typeorm';

const list = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');
const DOMAINS = ['TECHNICAL', 'NON_TECHNICAL'];
const METHODS = ['LECTURE', 'PBL', 'TBL', 'CBL', 'FLIPPED', 'SIMULATION', 'BEDSIDE', 'LAB', 'SEMINAR', 'SELF_STUDY'];
const DELIVERY = ['ONLINE', 'OFFLINE'];
const TRACK_KINDS = ['CLINICAL_PRACTICE', 'RESEARCH', 'SPECIALTY'];

/**
 * Frameworks, post profiles, programs with their modules, objectives, sessions and tracks,
 * enrolments, and the projections of network events. The database repeats the rules it can
 * hold on its own (unique codes, non-negative hours, positive durations, one active enrolment
 * per student and program) so a bug in the service cannot store what the domain refuses.
 * Enum columns are text with CHECKs on the values of this release; a later migration widens
 * them when values are added. Organ systems and disciplines are checked by the service only.
 */
export class CreateCurriculumTables1764200000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE competency_framework (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        version text NOT NULL,
        description text,
        owner_institution_id uuid,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX competency_framework_name_version_unique ON competency_framework (lower(name), lower(version))`);

    await q.query(`
      CREATE TABLE competency (
        id uuid PRIMARY KEY,
        framework_id uuid NOT NULL REFERENCES competency_framework (id) ON DELETE CASCADE,
        parent_id uuid REFERENCES competency (id),
        code text NOT NULL,
        title text NOT NULL,
        description text,
        domain text NOT NULL CHECK (domain IN (${list(DOMAINS)})),
        category text NOT NULL,
        position int NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (parent_id <> id)
      )`);
    await q.query(`CREATE UNIQUE INDEX competency_code_unique ON competency (framework_id, lower(code))`);
    await q.query(`CREATE INDEX competency_parent ON competency (parent_id)`);

    await q.query(`
      CREATE TABLE post_profile (
        id uuid PRIMARY KEY,
        title text NOT NULL,
        specialty text,
        description text,
        owner_institution_id uuid,
        scale_name text NOT NULL,
        scale_min double precision NOT NULL,
        scale_max double precision NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (scale_max > scale_min)
      )`);
    await q.query(`
      CREATE TABLE post_profile_requirement (
        post_profile_id uuid NOT NULL REFERENCES post_profile (id) ON DELETE CASCADE,
        competency_id uuid NOT NULL REFERENCES competency (id),
        level double precision NOT NULL,
        position int NOT NULL,
        PRIMARY KEY (post_profile_id, competency_id)
      )`);

    await q.query(`
      CREATE TABLE program (
        id uuid PRIMARY KEY,
        school_id uuid NOT NULL,
        title text NOT NULL,
        description text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX program_title_unique ON program (school_id, lower(title))`);

    await q.query(`
      CREATE TABLE track (
        id uuid PRIMARY KEY,
        program_id uuid NOT NULL REFERENCES program (id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN (${list(TRACK_KINDS)})),
        title text NOT NULL,
        specialty text,
        description text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((kind = 'SPECIALTY') = (specialty IS NOT NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX track_title_unique ON track (program_id, lower(title))`);

    await q.query(`
      CREATE TABLE curriculum_module (
        id uuid PRIMARY KEY,
        program_id uuid NOT NULL REFERENCES program (id) ON DELETE CASCADE,
        code text NOT NULL,
        title text NOT NULL,
        organ_system text,
        year int NOT NULL CHECK (year BETWEEN 1 AND 8),
        position int NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX curriculum_module_code_unique ON curriculum_module (program_id, lower(code))`);

    await q.query(`
      CREATE TABLE module_discipline (
        module_id uuid NOT NULL REFERENCES curriculum_module (id) ON DELETE CASCADE,
        discipline text NOT NULL,
        hours double precision NOT NULL CHECK (hours >= 0),
        position int NOT NULL,
        PRIMARY KEY (module_id, discipline)
      )`);
    await q.query(`
      CREATE TABLE module_prerequisite (
        module_id uuid NOT NULL REFERENCES curriculum_module (id) ON DELETE CASCADE,
        prerequisite_id uuid NOT NULL REFERENCES curriculum_module (id) ON DELETE CASCADE,
        PRIMARY KEY (module_id, prerequisite_id),
        CHECK (module_id <> prerequisite_id)
      )`);
    await q.query(`CREATE INDEX module_prerequisite_prerequisite ON module_prerequisite (prerequisite_id)`);

    await q.query(`
      CREATE TABLE learning_objective (
        id uuid PRIMARY KEY,
        module_id uuid NOT NULL REFERENCES curriculum_module (id) ON DELETE CASCADE,
        statement text NOT NULL,
        position int NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX learning_objective_module ON learning_objective (module_id, position)`);
    await q.query(`
      CREATE TABLE objective_competency (
        objective_id uuid NOT NULL REFERENCES learning_objective (id) ON DELETE CASCADE,
        competency_id uuid NOT NULL REFERENCES competency (id),
        PRIMARY KEY (objective_id, competency_id)
      )`);
    await q.query(`CREATE INDEX objective_competency_competency ON objective_competency (competency_id)`);

    await q.query(`
      CREATE TABLE teaching_session (
        id uuid PRIMARY KEY,
        module_id uuid NOT NULL REFERENCES curriculum_module (id) ON DELETE CASCADE,
        title text NOT NULL,
        method text NOT NULL CHECK (method IN (${list(METHODS)})),
        delivery text NOT NULL CHECK (delivery IN (${list(DELIVERY)})),
        starts_at timestamptz,
        duration_minutes int NOT NULL CHECK (duration_minutes > 0),
        position int NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX teaching_session_module ON teaching_session (module_id, position)`);
    await q.query(`
      CREATE TABLE session_objective (
        session_id uuid NOT NULL REFERENCES teaching_session (id) ON DELETE CASCADE,
        objective_id uuid NOT NULL REFERENCES learning_objective (id) ON DELETE CASCADE,
        PRIMARY KEY (session_id, objective_id)
      )`);

    await q.query(`
      CREATE TABLE enrollment (
        id uuid PRIMARY KEY,
        student_id uuid NOT NULL,
        program_id uuid NOT NULL REFERENCES program (id),
        school_id uuid NOT NULL,
        track_id uuid REFERENCES track (id),
        status text NOT NULL CHECK (status IN ('ACTIVE', 'WITHDRAWN')),
        enrolled_at timestamptz NOT NULL,
        enrolled_by uuid NOT NULL,
        withdrawn_at timestamptz,
        withdrawal_reason text,
        CHECK ((status = 'WITHDRAWN') = (withdrawn_at IS NOT NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX enrollment_active_unique ON enrollment (student_id, program_id) WHERE status = 'ACTIVE'`);
    await q.query(`CREATE INDEX enrollment_student ON enrollment (student_id, enrolled_at)`);
    await q.query(`CREATE INDEX enrollment_program ON enrollment (program_id, enrolled_at, id)`);

    await q.query(`
      CREATE TABLE track_change (
        id uuid PRIMARY KEY,
        -- History order: changes made in one transaction share now(), so a sequence orders them.
        seq bigserial NOT NULL UNIQUE,
        enrollment_id uuid NOT NULL REFERENCES enrollment (id) ON DELETE CASCADE,
        from_track_id uuid REFERENCES track (id),
        to_track_id uuid NOT NULL REFERENCES track (id),
        changed_by uuid NOT NULL,
        changed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        reason text NOT NULL
      )`);
    await q.query(`CREATE INDEX track_change_enrollment ON track_change (enrollment_id, seq)`);

    await q.query(`
      CREATE TABLE module_result (
        student_id uuid NOT NULL,
        module_id uuid NOT NULL REFERENCES curriculum_module (id),
        enrollment_id uuid NOT NULL REFERENCES enrollment (id),
        status text NOT NULL CHECK (status IN ('COMPLETED')),
        completed_on date NOT NULL,
        recorded_by uuid NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (student_id, module_id)
      )`);

    // Projections of network events, kept by the worker's handlers (and the demo seed through them).
    await q.query(`
      CREATE TABLE known_student (
        id uuid PRIMARY KEY,
        school_id uuid NOT NULL,
        cohort_year int NOT NULL,
        prior_clinical_years int NOT NULL CHECK (prior_clinical_years >= 0),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE known_agreement (
        id uuid PRIMARY KEY,
        school_id uuid NOT NULL,
        hospital_id uuid NOT NULL,
        status text NOT NULL CHECK (status IN ('ACTIVE', 'ENDED')),
        starts_on date NOT NULL,
        ends_on date NOT NULL,
        ended_on date,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX known_agreement_school ON known_agreement (school_id, status)`);
    await q.query(`CREATE INDEX known_agreement_hospital ON known_agreement (hospital_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'known_agreement',
      'known_student',
      'module_result',
      'track_change',
      'enrollment',
      'session_objective',
      'teaching_session',
      'objective_competency',
      'learning_objective',
      'module_prerequisite',
      'module_discipline',
      'curriculum_module',
      'track',
      'program',
      'post_profile_requirement',
      'post_profile',
      'competency',
      'competency_framework',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
