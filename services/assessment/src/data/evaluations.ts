import { type DataSource } from 'typeorm';
import { academicYear } from '../domain/calendar';
import { closedBlocks, type PlacementInBlock } from '../domain/release';
import { type ItemResponse } from '../domain/responses';
import { type ItemScale } from '../domain/scales';

/**
 * What learners said of teachers and sites, read for aggregation only: the rows here never
 * leave the service; only the aggregates built from them (domain/release, domain/suppression)
 * do. Each function reads a fixed number of statements for any number of teachers or blocks.
 */

/** One evaluation task, with the submitted answers (null unless submitted). */
export interface EvaluationRow {
  taskId: string;
  placementId: string;
  blockId: string;
  departmentId: string | null;
  subjectStaffId: string | null;
  evaluatorId: string;
  instrumentId: string;
  status: string;
  settledAt: Date | null;
  placementStatus: string;
  startsOn: string;
  responses: ItemResponse[] | null;
}

/** A placement that matters to whether a block is closed. */
export interface PlacementRow {
  id: string;
  blockId: string;
  departmentId: string;
  supervisorId: string | null;
  status: string;
  startsOn: string;
}

const EVALUATION_COLUMNS = `t.id AS "taskId", t.placement_id AS "placementId", t.block_id AS "blockId", t.subject_department_id AS "departmentId",
  t.subject_staff_id AS "subjectStaffId", t.assessor_id AS "evaluatorId", t.instrument_id AS "instrumentId", t.status,
  COALESCE(t.submitted_at, t.declined_at, t.expired_at) AS "settledAt", p.status AS "placementStatus", p.starts_on::text AS "startsOn",
  CASE WHEN s.status = 'SUBMITTED' THEN s.responses END AS responses`;

const PLACEMENT_COLUMNS = `id, block_id AS "blockId", department_id AS "departmentId", supervisor_id AS "supervisorId", status, starts_on::text AS "startsOn"`;

/** Teacher evaluations of the given teachers, and the placements they supervise. */
export async function teacherEvaluationData(
  ds: DataSource,
  teacherIds: readonly string[],
): Promise<{ evaluations: EvaluationRow[]; placements: PlacementRow[] }> {
  if (!teacherIds.length) return { evaluations: [], placements: [] };
  const [evaluations, placements] = await Promise.all([
    ds.query(
      `SELECT ${EVALUATION_COLUMNS} FROM assessment_task t JOIN known_placement p ON p.id = t.placement_id LEFT JOIN submission s ON s.task_id = t.id
        WHERE t.role = 'TEACHER_EVALUATION' AND t.subject_staff_id = ANY($1::uuid[])`,
      [teacherIds],
    ) as Promise<EvaluationRow[]>,
    ds.query(`SELECT ${PLACEMENT_COLUMNS} FROM known_placement WHERE supervisor_id = ANY($1::uuid[])`, [teacherIds]) as Promise<
      PlacementRow[]
    >,
  ]);
  return { evaluations, placements };
}

/** Site evaluations of a hospital's departments, and every placement at the hospital. */
export async function siteEvaluationData(
  ds: DataSource,
  hospitalId: string,
): Promise<{ evaluations: EvaluationRow[]; placements: PlacementRow[] }> {
  const [evaluations, placements] = await Promise.all([
    ds.query(
      `SELECT ${EVALUATION_COLUMNS} FROM assessment_task t JOIN known_placement p ON p.id = t.placement_id LEFT JOIN submission s ON s.task_id = t.id
        WHERE t.role = 'SITE_EVALUATION' AND t.hospital_id = $1`,
      [hospitalId],
    ) as Promise<EvaluationRow[]>,
    ds.query(`SELECT ${PLACEMENT_COLUMNS} FROM known_placement WHERE hospital_id = $1`, [hospitalId]) as Promise<PlacementRow[]>,
  ]);
  return { evaluations, placements };
}

/** Labels and scales of the items of the given instruments, by instrument then key. */
export async function itemsOf(
  ds: DataSource,
  instrumentIds: readonly string[],
): Promise<Map<string, { key: string; label: string; scale: ItemScale; position: number }[]>> {
  const found = new Map<string, { key: string; label: string; scale: ItemScale; position: number }[]>();
  if (!instrumentIds.length) return found;
  const rows = (await ds.query(
    `SELECT instrument_id AS "instrumentId", key, label, scale, position FROM instrument_item WHERE instrument_id = ANY($1::uuid[]) ORDER BY position`,
    [[...new Set(instrumentIds)]],
  )) as { instrumentId: string; key: string; label: string; scale: ItemScale; position: number }[];
  for (const r of rows) found.set(r.instrumentId, [...(found.get(r.instrumentId) ?? []), r]);
  return found;
}

/**
 * When each block closed for a scope (a teacher, or a hospital): its placements are ended and
 * its evaluation tasks settled. `placements` are the scope's; evaluations of placements outside
 * them (a supervisor changed after the tasks were created) count with their own placement.
 */
export function closedBlocksOf(placements: readonly PlacementRow[], evaluations: readonly EvaluationRow[]): Map<string, Date> {
  const tasksByPlacement = new Map<string, EvaluationRow[]>();
  for (const e of evaluations) tasksByPlacement.set(e.placementId, [...(tasksByPlacement.get(e.placementId) ?? []), e]);
  const entries: PlacementInBlock[] = placements.map((p) => ({
    blockId: p.blockId,
    placementStatus: p.status,
    tasks: (tasksByPlacement.get(p.id) ?? []).map((t) => ({ status: t.status, settledAt: t.settledAt })),
  }));
  const known = new Set(placements.map((p) => p.id));
  for (const [placementId, tasks] of tasksByPlacement) {
    if (known.has(placementId)) continue;
    const first = tasks[0] as EvaluationRow;
    entries.push({
      blockId: first.blockId,
      placementStatus: first.placementStatus,
      tasks: tasks.map((t) => ({ status: t.status, settledAt: t.settledAt })),
    });
  }
  return closedBlocks(entries);
}

/** The academic year of each block: that of its earliest placement's first day. */
export function blockYears(placements: readonly PlacementRow[], startMonth: number): Map<string, { year: string; startsOn: string }> {
  const years = new Map<string, { year: string; startsOn: string }>();
  for (const p of placements) {
    const known = years.get(p.blockId);
    if (!known || p.startsOn < known.startsOn) years.set(p.blockId, { year: academicYear(p.startsOn, startMonth), startsOn: p.startsOn });
  }
  return years;
}
