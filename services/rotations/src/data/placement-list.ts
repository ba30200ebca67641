import { BadUserInputError, type LazyConnection, plainKeysetPage, SqlConditions } from '@medcollab/kit';
import { type DataSource } from 'typeorm';
import { type HospitalReach, type PlacementScope } from '../domain/access-policy';
import { isUuid, type PlacementFilter } from '../domain/validation';
import { Placement } from '../entities';

const keyOf = (p: Placement): string => JSON.stringify([p.startsOn, p.id]);

function parseKey(key: string): [string, string] {
  try {
    const parsed: unknown = JSON.parse(key);
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      typeof parsed[0] === 'string' &&
      typeof parsed[1] === 'string' &&
      isUuid(parsed[1])
    ) {
      return parsed as [string, string];
    }
  } catch {
    // fall through to the error below
  }
  throw new BadUserInputError('Invalid cursor', { field: 'after' });
}

type Param = (value: unknown) => string;

/** The SQL twin of canReadPlacement's hospital branch: a grant the placement holds now. */
const hospitalGrant = (p: Param, now: Date): string =>
  `(status IN ('CONFIRMED', 'IN_PROGRESS') OR (status = 'COMPLETED' AND access_until > ${p(now)}))`;

/** The SQL twin of hospitalStaffReach: which of the hospital's placements the caller's role reaches. */
function reachClause(p: Param, reach: HospitalReach): string {
  if (reach.kind === 'all') return 'TRUE';
  if (reach.kind === 'none') return 'FALSE';
  if (reach.departmentId === null) return `supervisor_id = ${p(reach.supervisorId)}`;
  return `(supervisor_id = ${p(reach.supervisorId)} OR department_id = ${p(reach.departmentId)})`;
}

/** The filter's fields and the columns they narrow. */
const FILTER_COLUMNS = {
  schoolId: 'school_id',
  hospitalId: 'hospital_id',
  departmentId: 'department_id',
  blockId: 'block_id',
  studentId: 'student_id',
  status: 'status',
} as const;

/**
 * One page of the placements the scope allows, narrowed by the filter, by block start then
 * id (keyset: stable under inserts). Staff see their school's placements and their hospital's
 * that grant access now and their role reaches; the filter narrows within that. Plain SQL (the
 * kit's plainKeysetPage, ADR 0036, 0064): the block board reads a page of 200 here, and
 * TypeORM's query builder rebuilt the statement and ran its row transformer on every request.
 */
export async function listPlacements(
  ds: DataSource,
  scope: PlacementScope,
  filter: PlacementFilter,
  page: { limit: number; afterKey: string | null },
  now: Date,
): Promise<LazyConnection<Placement>> {
  if (scope.kind === 'nothing') return { edges: [], pageInfo: { hasNextPage: false, endCursor: null }, totalCount: async () => 0 };
  const where = new SqlConditions();
  if (scope.kind === 'institution')
    where.and((p) => {
      // One placeholder for both columns, as the query builder sent it: the planner sees one value.
      const institution = p(scope.institutionId);
      return `school_id = ${institution} OR (hospital_id = ${institution} AND ${hospitalGrant(p, now)} AND ${reachClause(p, scope.hospital)})`;
    });
  if (scope.kind === 'student') where.and((p) => `student_id = ${p(scope.studentId)}`);
  for (const [field, column] of Object.entries(FILTER_COLUMNS)) {
    const value = filter[field as keyof typeof FILTER_COLUMNS];
    if (value !== null) where.and((p) => `${column} = ${p(value)}`);
  }
  const after = page.afterKey ? parseKey(page.afterKey) : null;
  return plainKeysetPage(ds, Placement, where, {
    limit: page.limit,
    seek: after ? (p) => `(starts_on, id) > (${p(after[0])}, ${p(after[1])})` : null,
    orderBy: 'starts_on ASC, id ASC',
    keyOf,
  });
}
