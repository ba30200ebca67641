import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** Directory projections, policies, reminder tasks and plans, and the inbox. */
export class CreateNotificationTables1765000000000 implements MigrationInterface {
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE known_institution (
        id uuid PRIMARY KEY, name text NOT NULL, kind text NOT NULL, timezone text NOT NULL
      );
      CREATE TABLE known_department (
        id uuid PRIMARY KEY, institution_id uuid NOT NULL, name text NOT NULL
      );
      CREATE TABLE known_person (
        id uuid PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('STUDENT', 'STAFF')),
        institution_id uuid NOT NULL,
        department_id uuid,
        roles text[] NOT NULL DEFAULT '{}',
        given_name text,
        family_name text,
        email text
      );
      CREATE INDEX known_person_institution_idx ON known_person (institution_id);
      CREATE INDEX known_person_department_idx ON known_person (department_id) WHERE department_id IS NOT NULL;

      CREATE TABLE reminder_policy (
        institution_id uuid PRIMARY KEY,
        steps jsonb NOT NULL,
        quiet_from_hour int NOT NULL,
        quiet_until_hour int NOT NULL,
        skip_weekends boolean NOT NULL,
        per_task_daily_cap int NOT NULL,
        per_person_daily_cap int NOT NULL,
        updated_by uuid NOT NULL,
        updated_at timestamptz NOT NULL
      );

      CREATE TABLE reminder_task (
        task_id uuid PRIMARY KEY,
        status text NOT NULL CHECK (status IN ('OPEN', 'SUBMITTED', 'DECLINED', 'EXPIRED')),
        role text NOT NULL,
        assessor_id uuid NOT NULL,
        student_id uuid NOT NULL,
        school_id uuid NOT NULL,
        department_id uuid,
        hospital_id uuid,
        placement_id uuid,
        instrument_title text NOT NULL,
        due_at timestamptz NOT NULL,
        settled_at timestamptz,
        updated_at timestamptz NOT NULL
      );

      CREATE TABLE reminder_step (
        id uuid PRIMARY KEY,
        task_id uuid NOT NULL REFERENCES reminder_task (task_id) ON DELETE CASCADE,
        step_key text NOT NULL,
        audience text NOT NULL,
        recipient_id uuid NOT NULL,
        nominal_at timestamptz NOT NULL,
        fire_at timestamptz NOT NULL,
        status text NOT NULL CHECK (status IN ('PLANNED', 'FIRED', 'CANCELLED')),
        fired_at timestamptz,
        cancel_reason text,
        created_at timestamptz NOT NULL
      );
      CREATE INDEX reminder_step_task_idx ON reminder_step (task_id);
      CREATE INDEX reminder_step_due_idx ON reminder_step (fire_at) WHERE status = 'PLANNED';
      CREATE INDEX reminder_step_fired_idx ON reminder_step (recipient_id, fired_at) WHERE status = 'FIRED';
      CREATE UNIQUE INDEX reminder_step_planned_key ON reminder_step (task_id, step_key, recipient_id) WHERE status = 'PLANNED';

      CREATE TABLE notification (
        id uuid PRIMARY KEY,
        recipient_id uuid NOT NULL,
        kind text NOT NULL,
        channel text NOT NULL,
        dedupe_key text NOT NULL,
        title text NOT NULL,
        body text NOT NULL,
        subject_type text,
        subject_id uuid,
        created_at timestamptz NOT NULL,
        read_at timestamptz
      );
      CREATE UNIQUE INDEX notification_dedupe_key ON notification (dedupe_key, recipient_id, channel);
      CREATE INDEX notification_inbox_idx ON notification (recipient_id, created_at DESC, id DESC) WHERE channel = 'IN_APP';
      CREATE INDEX notification_unread_idx ON notification (recipient_id) WHERE channel = 'IN_APP' AND read_at IS NULL;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE notification;
      DROP TABLE reminder_step;
      DROP TABLE reminder_task;
      DROP TABLE reminder_policy;
      DROP TABLE known_person;
      DROP TABLE known_department;
      DROP TABLE known_institution;
    `);
  }
}
