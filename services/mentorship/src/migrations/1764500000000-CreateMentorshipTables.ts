import { type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Projections of other services' events (known_*), and mentorship's own records. The
 * database repeats the rules it can hold alone (statuses, capacities, one profile per staff
 * member) so a bug in the service cannot store what the domain refuses.
 */
export class CreateMentorshipTables1764500000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    // --- projections (written only by event handlers, and by the demo seed through them)
    await q.query(`
      CREATE TABLE known_student (
        id uuid PRIMARY KEY,
        school_id uuid NOT NULL,
        cohort_year int NOT NULL,
        prior_clinical_years int NOT NULL
      )`);
    await q.query(`CREATE INDEX known_student_cohort ON known_student (school_id, cohort_year)`);
    await q.query(
      `CREATE TABLE known_staff (id uuid PRIMARY KEY, institution_id uuid NOT NULL, department_id uuid, roles text[] NOT NULL)`,
    );
    await q.query(`
      CREATE TABLE known_agreement (
        id uuid PRIMARY KEY,
        school_id uuid NOT NULL,
        hospital_id uuid NOT NULL,
        starts_on date NOT NULL,
        ends_on date NOT NULL,
        status text NOT NULL CHECK (status IN ('ACTIVE', 'ENDED')),
        ended_on date
      )`);
    await q.query(`CREATE INDEX known_agreement_school ON known_agreement (school_id, status)`);
    await q.query(`CREATE INDEX known_agreement_hospital ON known_agreement (hospital_id, status)`);
    await q.query(`
      CREATE TABLE known_enrollment (
        id uuid PRIMARY KEY,
        student_id uuid NOT NULL,
        program_id uuid NOT NULL,
        school_id uuid NOT NULL,
        track_kind text,
        withdrawn boolean NOT NULL,
        changed_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX known_enrollment_student ON known_enrollment (student_id)`);
    await q.query(`CREATE INDEX known_enrollment_program ON known_enrollment (program_id)`);

    // --- mentorship's own records
    await q.query(`
      CREATE TABLE mentor_profile (
        id uuid PRIMARY KEY,
        staff_id uuid NOT NULL UNIQUE,
        institution_id uuid NOT NULL,
        capacity int NOT NULL CHECK (capacity BETWEEN 1 AND 30),
        specialties text[] NOT NULL DEFAULT '{}',
        research_areas text[] NOT NULL DEFAULT '{}',
        research_active boolean NOT NULL DEFAULT false,
        formats text[] NOT NULL CHECK (cardinality(formats) > 0 AND formats <@ ARRAY['ONE_ON_ONE', 'SMALL_GROUP']),
        accepting_mentees boolean NOT NULL DEFAULT true,
        hours_per_month int CHECK (hours_per_month BETWEEN 1 AND 160),
        bio text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX mentor_profile_institution ON mentor_profile (institution_id)`);
    await q.query(`
      CREATE TABLE mentee_preferences (
        student_id uuid PRIMARY KEY,
        specialty_interests text[] NOT NULL DEFAULT '{}',
        research_interests text[] NOT NULL DEFAULT '{}',
        preferred_format text CHECK (preferred_format IN ('ONE_ON_ONE', 'SMALL_GROUP')),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE matching_run (
        id uuid PRIMARY KEY,
        school_id uuid NOT NULL,
        program_id uuid,
        cohort_year int,
        mechanism text NOT NULL CHECK (mechanism IN ('OPTIMAL')),
        status text NOT NULL CHECK (status IN ('PROPOSED', 'ACCEPTED', 'REJECTED')),
        total_score int NOT NULL,
        unmatched_student_ids uuid[] NOT NULL DEFAULT '{}',
        created_by uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        decided_by uuid,
        decided_at timestamptz,
        decision_reason text,
        CHECK ((program_id IS NULL) <> (cohort_year IS NULL)),
        CHECK ((status = 'PROPOSED') = (decided_at IS NULL))
      )`);
    await q.query(`CREATE INDEX matching_run_school ON matching_run (school_id, created_at DESC)`);
    await q.query(`
      CREATE TABLE matching_proposal (
        run_id uuid NOT NULL REFERENCES matching_run (id) ON DELETE CASCADE,
        student_id uuid NOT NULL,
        mentor_id uuid NOT NULL,
        score int NOT NULL CHECK (score BETWEEN 0 AND 100),
        reasons jsonb NOT NULL,
        PRIMARY KEY (run_id, student_id)
      )`);
    await q.query(`
      CREATE TABLE mentorship (
        id uuid PRIMARY KEY,
        mentor_id uuid NOT NULL,
        school_id uuid NOT NULL,
        format text NOT NULL CHECK (format IN ('ONE_ON_ONE', 'SMALL_GROUP')),
        focus text NOT NULL CHECK (focus IN ('CLINICAL_PRACTICE', 'RESEARCH', 'CAREER')),
        status text NOT NULL CHECK (status IN ('ACTIVE', 'PAUSED', 'ENDED')),
        status_reason text,
        group_size_limit int CHECK (group_size_limit BETWEEN 2 AND 12),
        matching_run_id uuid REFERENCES matching_run (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        ended_at timestamptz,
        CHECK ((format = 'SMALL_GROUP') = (group_size_limit IS NOT NULL)),
        CHECK ((status = 'ENDED') = (ended_at IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX mentorship_mentor ON mentorship (mentor_id, status)`);
    await q.query(`CREATE INDEX mentorship_run ON mentorship (matching_run_id) WHERE matching_run_id IS NOT NULL`);
    await q.query(`
      CREATE TABLE mentorship_mentee (
        mentorship_id uuid NOT NULL REFERENCES mentorship (id) ON DELETE CASCADE,
        student_id uuid NOT NULL,
        -- 0, 1, 2… in the order the mentees joined (the first ones join together).
        position int NOT NULL,
        joined_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (mentorship_id, student_id),
        UNIQUE (mentorship_id, position)
      )`);
    await q.query(`CREATE INDEX mentorship_mentee_student ON mentorship_mentee (student_id)`);
    await q.query(`
      CREATE TABLE mentor_meeting (
        id uuid PRIMARY KEY,
        mentorship_id uuid NOT NULL REFERENCES mentorship (id) ON DELETE CASCADE,
        met_on date NOT NULL,
        attendee_ids uuid[] NOT NULL CHECK (cardinality(attendee_ids) > 0),
        notes text,
        logged_by uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX mentor_meeting_mentorship ON mentor_meeting (mentorship_id, met_on DESC, id DESC)`);
    await q.query(`
      CREATE TABLE development_goal (
        id uuid PRIMARY KEY,
        student_id uuid NOT NULL,
        title text NOT NULL,
        description text,
        competency_id uuid,
        target_date date,
        status text NOT NULL CHECK (status IN ('OPEN', 'IN_PROGRESS', 'ACHIEVED', 'DROPPED')),
        evidence jsonb NOT NULL DEFAULT '[]',
        proposed_by uuid,
        accepted_at timestamptz,
        required_level numeric,
        current_level numeric,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (status <> 'ACHIEVED' OR jsonb_array_length(evidence) > 0),
        CHECK ((required_level IS NULL) = (current_level IS NULL))
      )`);
    await q.query(`CREATE INDEX development_goal_student ON development_goal (student_id)`);
    await q.query(`
      CREATE TABLE mentor_notice (
        id uuid PRIMARY KEY,
        mentor_id uuid NOT NULL,
        kind text NOT NULL CHECK (kind IN ('PLACEMENT_STARTED')),
        student_id uuid NOT NULL,
        mentorship_id uuid NOT NULL REFERENCES mentorship (id) ON DELETE CASCADE,
        placement_id uuid NOT NULL,
        hospital_id uuid NOT NULL,
        department_id uuid NOT NULL,
        starts_on date NOT NULL,
        ends_on date NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (placement_id, mentor_id, kind)
      )`);
    await q.query(`CREATE INDEX mentor_notice_mentor ON mentor_notice (mentor_id, created_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'mentor_notice',
      'development_goal',
      'mentor_meeting',
      'mentorship_mentee',
      'mentorship',
      'matching_proposal',
      'matching_run',
      'mentee_preferences',
      'mentor_profile',
      'known_enrollment',
      'known_agreement',
      'known_staff',
      'known_student',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
