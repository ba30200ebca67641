import { type EntityManager } from 'typeorm';
import { describeRuns, type AllocationRunInfo, type RunEventRow } from '../domain/allocation-runs';

/**
 * The named runs among `runIds`, from quality's history of rotations' run events: one statement,
 * whatever the number of runs — the events of every run of the same schools are read too, since
 * a run's ordinal counts its school's earlier publications of the year. The same statement gives
 * the specialty of every department the runs offered seats at (their publications' sites), for
 * the runs' drill-down per specialty (ADR 0043).
 */
export async function allocationRunsById(
  em: EntityManager,
  runIds: readonly string[],
): Promise<{ runs: Map<string, AllocationRunInfo>; specialtyOf: Map<string, string> }> {
  if (!runIds.length) return { runs: new Map(), specialtyOf: new Map() };
  const rows = (await em.query(
    `SELECT aggregate_id AS "runId", event_type AS type, sequence,
            payload->>'schoolId' AS "schoolId", payload->>'academicYear' AS "academicYear",
            payload->>'variation' AS variation, payload->>'at' AS at, payload->>'supersededBy' AS "supersededBy",
            CASE WHEN event_type = 'AllocationRunPublished' AND aggregate_id = ANY($1) THEN
              (SELECT jsonb_object_agg(s->>'departmentId', COALESCE(s->>'specialty', '')) FROM jsonb_array_elements(payload->'sites') s)
            END AS specialties
       FROM applied_event
      WHERE aggregate_type = 'AllocationRun'
        AND payload->>'schoolId' IN (
          SELECT payload->>'schoolId' FROM applied_event WHERE aggregate_type = 'AllocationRun' AND aggregate_id = ANY($1))`,
    [runIds],
  )) as (RunEventRow & { specialties: Record<string, string> | null })[];
  const described = describeRuns(rows);
  const specialtyOf = new Map(rows.flatMap((r) => Object.entries(r.specialties ?? {})));
  return {
    runs: new Map(runIds.flatMap((id) => (described.has(id) ? [[id, described.get(id)!] as const] : []))),
    specialtyOf,
  };
}
