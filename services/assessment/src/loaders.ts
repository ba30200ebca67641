import DataLoader from 'dataloader';
import { loaderById, loaderByParent, plainRowReader, type Order } from '@medcollab/kit';
import { type DataSource, type ObjectLiteral } from 'typeorm';
import { observationsOfStudents } from './data/student-observations';
import { type TaskStatus } from './domain/model';
import { isUuid } from './domain/validation';
import {
  AssessmentTask,
  Instrument,
  InstrumentItem,
  KnownCompetency,
  KnownPlacement,
  KnownPostProfile,
  KnownStaff,
  KnownStudent,
  Submission,
  SubmissionAmendment,
} from './entities';

/**
 * Per-request batch loaders: every id asked for in one tick becomes one SQL statement, so
 * nested fields and `_entities` cost a constant number of queries, not one per row. Loaders
 * that take a field argument (a status filter) are kept one per argument value.
 */
export type AssessmentLoaders = ReturnType<typeof createLoaders>;

/** Malformed ids can match nothing; dropping them keeps PostgreSQL from rejecting the batch. */
const wellFormed = (ids: readonly string[]): string[] => ids.filter(isUuid);

/**
 * Loaders read in plain SQL (the kit's plainRowReader, ADR 0036): the same statements as
 * TypeORM's `find` was sending, without rebuilding them and transforming rows on every request.
 */
function byId<T extends { id: string } & ObjectLiteral>(ds: DataSource, entity: new () => T): DataLoader<string, T | null> {
  return loaderById<T>(async (ids) => {
    const valid = wellFormed(ids);
    return valid.length ? plainRowReader(ds, entity).by('id', valid) : [];
  });
}

function byParent<T extends ObjectLiteral>(
  ds: DataSource,
  entity: new () => T,
  column: keyof T & string,
  order: Order<T>,
  where: Partial<T> = {},
): DataLoader<string, T[]> {
  return loaderByParent<T>(
    async (keys) => {
      const valid = wellFormed(keys);
      return valid.length ? plainRowReader(ds, entity).by(column, valid, { where, order }) : [];
    },
    (row) => row[column] as string,
  );
}

/** One loader per argument value, created on first use within the request. */
function perArgument<A, L>(make: (arg: A) => L): (arg: A) => L {
  const made = new Map<A, L>();
  return (arg) => {
    let loader = made.get(arg);
    if (!loader) made.set(arg, (loader = make(arg)));
    return loader;
  };
}

const newestFirst = { assignedAt: 'DESC', id: 'ASC' } as const;

export function createLoaders(ds: DataSource) {
  let competencies: Promise<Map<string, KnownCompetency>> | undefined;
  const memos = new Map<string, unknown>();
  return {
    /** Computes a value once per request (a report several fields slice, a loader that needs settings). */
    memo: <T>(key: string, make: () => T): T => {
      if (!memos.has(key)) memos.set(key, make());
      return memos.get(key) as T;
    },
    instrument: byId(ds, Instrument),
    itemsByInstrument: byParent(ds, InstrumentItem, 'instrumentId', { position: 'ASC' }),
    task: byId(ds, AssessmentTask),
    submission: byId(ds, Submission),
    submissionByTask: byParent(ds, Submission, 'taskId', { id: 'ASC' }),
    amendmentsBySubmission: byParent(ds, SubmissionAmendment, 'submissionId', { version: 'ASC' }),
    knownStudent: byId(ds, KnownStudent),
    knownStaff: byId(ds, KnownStaff),
    knownPlacement: byId(ds, KnownPlacement),
    knownPostProfile: byId(ds, KnownPostProfile),
    tasksByStudent: perArgument((status: TaskStatus | null) =>
      byParent(ds, AssessmentTask, 'studentId', newestFirst, status ? { status } : {}),
    ),
    tasksByAssessor: perArgument((status: TaskStatus | null) =>
      byParent(ds, AssessmentTask, 'assessorId', newestFirst, status ? { status } : {}),
    ),
    tasksByPlacement: byParent(ds, AssessmentTask, 'placementId', { assignedAt: 'ASC', role: 'ASC' }),
    observationsByStudent: loaderByParent(
      (ids) => {
        const valid = wellFormed(ids);
        return valid.length ? observationsOfStudents(ds, valid) : Promise.resolve([]);
      },
      (o) => o.studentId,
    ),
    /** Institutions holding an ACTIVE agreement with each institution (either side). */
    partners: new DataLoader<string, string[]>(async (ids) => {
      const valid = wellFormed(ids);
      const rows = valid.length
        ? ((await ds.query(
            `SELECT school_id AS a, hospital_id AS b FROM known_agreement WHERE status = 'ACTIVE' AND (school_id = ANY($1::uuid[]) OR hospital_id = ANY($1::uuid[]))`,
            [valid],
          )) as { a: string; b: string }[])
        : [];
      return ids.map((id) => [...new Set(rows.flatMap((r) => (r.a === id ? [r.b] : r.b === id ? [r.a] : [])))]);
    }),
    /** Mentors holding a live mentor grant for each student (MentorshipChanged), one statement per request. */
    mentorsOfStudent: new DataLoader<string, string[]>(async (ids) => {
      const valid = wellFormed(ids);
      const rows = valid.length
        ? ((await ds.query(`SELECT DISTINCT student_id, mentor_id FROM mentor_grant WHERE student_id = ANY($1::uuid[])`, [valid])) as {
            student_id: string;
            mentor_id: string;
          }[])
        : [];
      return ids.map((id) => rows.filter((r) => r.student_id === id).map((r) => r.mentor_id));
    }),
    /** The institution of each department, as placements and staff registrations tell it. */
    hospitalOfDepartment: new DataLoader<string, string | null>(async (ids) => {
      const valid = wellFormed(ids);
      const rows = valid.length
        ? ((await ds.query(
            `SELECT DISTINCT department_id AS id, hospital_id AS institution FROM known_placement WHERE department_id = ANY($1::uuid[])
             UNION SELECT DISTINCT department_id, institution_id FROM known_staff WHERE department_id = ANY($1::uuid[])`,
            [valid],
          )) as { id: string; institution: string }[])
        : [];
      return ids.map((id) => rows.find((r) => r.id === id)?.institution ?? null);
    }),
    /** Every competency the curriculum has published (one statement per request, when first needed). */
    competencies: (): Promise<Map<string, KnownCompetency>> =>
      (competencies ??= plainRowReader(ds, KnownCompetency)
        .all()
        .then((rows) => new Map(rows.map((c) => [c.id, c])))),
  };
}
