import { type Role } from '@medcollab/kit';

/**
 * The vocabulary of roster imports: what a caller asks for, what the files say once read,
 * and what the report tells back. Each list mirrors an enum in schema.graphql.
 */

export const ROSTER_FORMATS = ['ONEROSTER_1_2_CSV', 'PLAIN_CSV'] as const;
export type RosterFormat = (typeof ROSTER_FORMATS)[number];

/** FULL: the files are the whole roster (people missing are deactivated); DELTA: only their rows. */
export const ROSTER_SYNC_MODES = ['FULL', 'DELTA'] as const;
export type RosterSyncMode = (typeof ROSTER_SYNC_MODES)[number];

/** DRY_RUN writes nothing; ALL_OR_NOTHING applies only a file without errors; ROW_BY_ROW applies every valid row. */
export const ROSTER_APPLY_MODES = ['DRY_RUN', 'ALL_OR_NOTHING', 'ROW_BY_ROW'] as const;
export type RosterApplyMode = (typeof ROSTER_APPLY_MODES)[number];

export const ROSTER_IMPORT_STATUSES = [
  'AWAITING_UPLOAD',
  'QUEUED',
  'VALIDATING',
  'APPLYING',
  'VALIDATED',
  'APPLIED',
  'REJECTED',
  'FAILED',
] as const;
export type RosterImportStatus = (typeof ROSTER_IMPORT_STATUSES)[number];

/** The files each format reads; the upload refuses other names. */
export const ROSTER_FILES: Record<RosterFormat, { required: readonly string[]; optional: readonly string[] }> = {
  ONEROSTER_1_2_CSV: {
    required: ['manifest.csv', 'orgs.csv', 'users.csv'],
    optional: ['roles.csv', 'enrollments.csv', 'academicSessions.csv', 'courses.csv', 'classes.csv'],
  },
  PLAIN_CSV: { required: ['people.csv'], optional: ['departments.csv'] },
};

/** One problem found in a file: which file, which line (1 = header), which column, and what. */
export interface RosterIssue {
  file: string;
  line: number | null;
  column: string | null;
  message: string;
}

export interface DesiredDepartment {
  sourcedId: string;
  name: string;
  file: string;
  line: number;
}

export interface DesiredPerson {
  kind: 'student' | 'staff';
  sourcedId: string;
  givenName: string;
  familyName: string;
  email: string;
  /** Students only. */
  cohortYear: number | null;
  priorClinicalYears: number | null;
  /** Staff only. */
  roles: Role[];
  departmentSourcedId: string | null;
  active: boolean;
  file: string;
  line: number;
}

/** What the files ask for, after reading and checking them on their own. */
export interface RosterContent {
  /** The institution's own org id in the files (set on the institution when it had none). */
  institutionSourcedId: string | null;
  departments: DesiredDepartment[];
  people: DesiredPerson[];
  /** Data rows read, all files together. */
  rows: number;
  /** Every person sourcedId the files name, valid rows or not: a full sync never deactivates these. */
  mentioned: Set<string>;
  issues: RosterIssue[];
  /**
   * Some line names another institution's org. Such a file is refused whole whatever the apply
   * mode: it is the wrong institution's export (or a mixed one), not a row to skip.
   */
  namesOtherInstitutions: boolean;
}

/** Who the import is for, and the orgs of the network it must not touch. */
export interface RosterContext {
  institution: { id: string; name: string; kind: 'SCHOOL' | 'HOSPITAL'; sourcedId: string | null };
  /** Other institutions' org sourcedIds → their names. */
  foreignOrgs: ReadonlyMap<string, string>;
  currentYear: number;
}

export interface RosterCounts {
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  deactivated: number;
  reactivated: number;
  failed: number;
}

export const emptyCounts = (): RosterCounts => ({
  rows: 0,
  created: 0,
  updated: 0,
  unchanged: 0,
  deactivated: 0,
  reactivated: 0,
  failed: 0,
});
