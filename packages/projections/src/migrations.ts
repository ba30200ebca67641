import { type QueryRunner } from 'typeorm';
import { type NetworkFact } from './handlers';

/**
 * Migration helpers for the shared projection tables (ADR 0011). A service calls them from its
 * own migration files, so its migration history stays its own: a new service creates the
 * tables whole; a service whose tables predate the package adds the columns it lacks (and its
 * `down` drops exactly those).
 */

export const FACT_TABLES = { student: 'known_student', staff: 'known_staff', agreement: 'known_agreement' } as const satisfies Record<
  NetworkFact,
  string
>;

/** Every column of each table but the key, with its SQL definition (the shape of the entities in ./entities). */
export const FACT_COLUMNS = {
  known_student: {
    school_id: 'uuid NOT NULL',
    cohort_year: 'int',
    prior_clinical_years: 'int CHECK (prior_clinical_years >= 0)',
    given_name: 'text',
    family_name: 'text',
    active: 'boolean NOT NULL DEFAULT true',
    updated_at: 'timestamptz NOT NULL DEFAULT now()',
  },
  known_staff: {
    institution_id: 'uuid NOT NULL',
    department_id: 'uuid',
    roles: 'text[] NOT NULL',
    given_name: 'text',
    family_name: 'text',
    active: 'boolean NOT NULL DEFAULT true',
    updated_at: 'timestamptz NOT NULL DEFAULT now()',
  },
  known_agreement: {
    school_id: 'uuid NOT NULL',
    hospital_id: 'uuid NOT NULL',
    status: `text NOT NULL CHECK (status IN ('ACTIVE', 'ENDED'))`,
    starts_on: 'date',
    ends_on: 'date',
    ended_on: 'date',
    department_ids: `uuid[] NOT NULL DEFAULT '{}'`,
    updated_at: 'timestamptz NOT NULL DEFAULT now()',
  },
} as const;

export type FactTable = keyof typeof FACT_COLUMNS;
export type FactColumn<T extends FactTable> = keyof (typeof FACT_COLUMNS)[T] & string;

const INDEXES: Record<FactTable, string[]> = {
  known_student: [`CREATE INDEX known_student_school ON known_student (school_id)`],
  known_staff: [`CREATE INDEX known_staff_department ON known_staff (department_id)`],
  known_agreement: [
    `CREATE INDEX known_agreement_school ON known_agreement (school_id, status)`,
    `CREATE INDEX known_agreement_hospital ON known_agreement (hospital_id, status)`,
  ],
};

/** Creates the tables of `facts` whole, with their indexes (a service that starts keeping them). */
export async function createFactTables(q: QueryRunner, facts: readonly NetworkFact[]): Promise<void> {
  for (const fact of facts) {
    const table = FACT_TABLES[fact];
    const columns = Object.entries(FACT_COLUMNS[table]).map(([name, sql]) => `${name} ${sql}`);
    await q.query(`CREATE TABLE ${table} (id uuid PRIMARY KEY, ${columns.join(', ')})`);
    for (const index of INDEXES[table]) await q.query(index);
  }
}

export async function dropFactTables(q: QueryRunner, facts: readonly NetworkFact[]): Promise<void> {
  for (const fact of [...facts].reverse()) await q.query(`DROP TABLE ${FACT_TABLES[fact]}`);
}

/** Adds the named columns (nullable or with their default, so existing rows stay valid). */
export async function addFactColumns<T extends FactTable>(q: QueryRunner, table: T, columns: readonly FactColumn<T>[]): Promise<void> {
  if (!columns.length) return;
  const defs = FACT_COLUMNS[table] as Record<string, string>;
  await q.query(`ALTER TABLE ${table} ${columns.map((c) => `ADD COLUMN ${c} ${defs[c]}`).join(', ')}`);
}

/** The `down` of addFactColumns. */
export async function dropFactColumns<T extends FactTable>(q: QueryRunner, table: T, columns: readonly FactColumn<T>[]): Promise<void> {
  if (!columns.length) return;
  await q.query(
    `ALTER TABLE ${table} ${[...columns]
      .reverse()
      .map((c) => `DROP COLUMN ${c}`)
      .join(', ')}`,
  );
}
