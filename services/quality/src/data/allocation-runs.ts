import { type EntityManager } from 'typeorm';
import { describeRuns, type AllocationRunInfo, type RunEventRow } from '../domain/allocation-runs';

/**
 * The named runs among `runIds`, from quality's history of rotations' run events: one statement,
 * whatever the number of runs — the events of every run of the same schools are read too, since
 * a run's ordinal counts its school's earlier publications of the year.
 */
export async function allocationRunsById(em: EntityManager, runIds: readonly string[]): Promise<Map<string, AllocationRunInfo>> {
  if (!runIds.length) return new Map();
  const rows = (await em.query(
    `SELECT aggregate_id AS "runId", event_type AS type, sequence,
            payload->>'schoolId' AS "schoolId", payload->>'academicYear' AS "academicYear",
            payload->>'variation' AS variation, payload->>'at' AS at, payload->>'supersededBy' AS "supersededBy"
       FROM applied_event
      WHERE aggregate_type = 'AllocationRun'
        AND payload->>'schoolId' IN (
          SELECT payload->>'schoolId' FROM applied_event WHERE aggregate_type = 'AllocationRun' AND aggregate_id = ANY($1))`,
    [runIds],
  )) as RunEventRow[];
  const described = describeRuns(rows);
  return new Map(runIds.flatMap((id) => (described.has(id) ? [[id, described.get(id)!] as const] : [])));
}
