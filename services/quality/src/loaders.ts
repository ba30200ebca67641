import DataLoader from 'dataloader';
import { type DataSource } from 'typeorm';
import { ALL_SCHOOLS, METRICS } from './domain/metrics';

/**
 * Per-request batch loaders: every id asked for in one tick becomes one SQL statement, and
 * reports are memoized per request, so nested fields and `_entities` cost a constant number
 * of queries per hospital, not one per row.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (s: string): boolean => UUID.test(s);

export function createLoaders(ds: DataSource) {
  const memos = new Map<string, unknown>();
  return {
    /** One computation per key per request (reports shared by sibling fields). */
    memo: <T>(key: string, make: () => T): T => {
      if (!memos.has(key)) memos.set(key, make());
      return memos.get(key) as T;
    },
    /**
     * A department's hospital, from the network's departments or, for one quality has not heard
     * of yet, from the rollups themselves: one all-schools cell of the department (every cell has
     * one), found through the primary key by its leading metric, never by reading the table
     * (a scan of a large world's 6 M cells took seconds on every department page).
     */
    hospitalOfDepartment: new DataLoader<string, string | null>(async (ids) => {
      const valid = ids.filter(isUuid);
      const rows = valid.length
        ? ((await ds.query(
            `SELECT id::text AS id, hospital_id::text AS hospital FROM known_department WHERE id = ANY($1::uuid[])
             UNION ALL
             SELECT d.id::text, (SELECT c.parent FROM rollup_cell c
                                  WHERE c.metric = ANY($2::text[]) AND c.school = $3 AND c.scope_kind = 'DEPARTMENT'
                                    AND c.scope_id = d.id::text AND c.parent IS NOT NULL LIMIT 1)
               FROM unnest($1::uuid[]) AS d(id)
              WHERE NOT EXISTS (SELECT 1 FROM known_department k WHERE k.id = d.id)`,
            [valid, METRICS, ALL_SCHOOLS],
          )) as { id: string; hospital: string | null }[])
        : [];
      const byId = new Map(rows.map((r) => [r.id, r.hospital]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    /** A department's specialty (for the peer benchmark). */
    specialty: new DataLoader<string, string | null>(async (ids) => {
      const valid = ids.filter(isUuid);
      const rows = valid.length
        ? ((await ds.query('SELECT id::text AS id, specialty FROM known_department WHERE id = ANY($1::uuid[])', [valid])) as {
            id: string;
            specialty: string | null;
          }[])
        : [];
      const byId = new Map(rows.map((r) => [r.id, r.specialty]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    /** Whether an institution is a school (it has agreements as one) and its partner hospitals. */
    institution: new DataLoader<string, { isSchool: boolean; partnerHospitals: string[] }>(async (ids) => {
      const valid = ids.filter(isUuid);
      const rows = valid.length
        ? ((await ds.query(
            'SELECT DISTINCT school_id::text AS school, hospital_id::text AS hospital FROM known_agreement WHERE school_id = ANY($1::uuid[])',
            [valid],
          )) as { school: string; hospital: string }[])
        : [];
      return ids.map((id) => {
        const partners = rows.filter((r) => r.school === id).map((r) => r.hospital);
        return { isSchool: partners.length > 0, partnerHospitals: partners };
      });
    }),
    /** A program's curriculum as last published (null when curriculum has published none). */
    curriculumProgram: new DataLoader<string, CurriculumProgram | null>(async (ids) => {
      const valid = ids.filter(isUuid);
      const rows = valid.length
        ? ((await ds.query(
            `SELECT program_id::text AS "programId", school_id::text AS "schoolId", title, competency_ids::text[] AS "competencyIds",
                    teaching_minutes AS "teachingMinutes", modules, published_at AS "publishedAt", sequence
               FROM curriculum_program WHERE program_id = ANY($1::uuid[])`,
            [valid],
          )) as CurriculumProgram[])
        : [];
      const byId = new Map(rows.map((r) => [r.programId, r]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    /** Every kept publication of a program, oldest first (one statement for all the programs asked for). */
    curriculumVersions: new DataLoader<string, CurriculumProgram[]>(async (ids) => {
      const valid = ids.filter(isUuid);
      const rows = valid.length
        ? ((await ds.query(
            `SELECT program_id::text AS "programId", school_id::text AS "schoolId", title, competency_ids::text[] AS "competencyIds",
                    teaching_minutes AS "teachingMinutes", modules, published_at AS "publishedAt", sequence
               FROM curriculum_program_version WHERE program_id = ANY($1::uuid[]) ORDER BY program_id, sequence`,
            [valid],
          )) as CurriculumProgram[])
        : [];
      return ids.map((id) => rows.filter((r) => r.programId === id));
    }),
  };
}

export interface CurriculumProgram {
  programId: string;
  schoolId: string;
  title: string;
  competencyIds: string[];
  teachingMinutes: { method: string; minutes: number }[];
  /** Per module, in the program's order (empty for publications made before modules travelled). */
  modules: { moduleId: string; title: string; competencyIds: string[]; teachingMinutes: { method: string; minutes: number }[] }[];
  publishedAt: Date;
  /** The publication's number (the producer's sequence for the program). */
  sequence: number;
}

export type QualityLoaders = ReturnType<typeof createLoaders>;
