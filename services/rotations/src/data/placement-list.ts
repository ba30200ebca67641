import { BadUserInputError, type Connection, toConnection } from '@medcollab/kit';
import { type DataSource } from 'typeorm';
import { type HospitalReach, type PlacementScope } from '../domain/access-policy';
import { isUuid, type PlacementFilter } from '../domain/validation';
import { Placement } from '../entities';

/** A connection whose totalCount is only counted when a client asks for it. */
export type LazyConnection<T> = Omit<Connection<T>, 'totalCount'> & { totalCount: () => Promise<number> };

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

/** The SQL twin of canReadPlacement's hospital branch: a grant the placement holds now. */
const HOSPITAL_GRANT = `(p.status IN ('CONFIRMED', 'IN_PROGRESS') OR (p.status = 'COMPLETED' AND p.access_until > :now))`;

/** The SQL twin of hospitalStaffReach: which of the hospital's placements the caller's role reaches. */
function reachClause(reach: HospitalReach): { sql: string; params: Record<string, unknown> } {
  if (reach.kind === 'all') return { sql: 'TRUE', params: {} };
  if (reach.kind === 'none') return { sql: 'FALSE', params: {} };
  if (reach.departmentId === null) return { sql: 'p.supervisor_id = :reachSupervisor', params: { reachSupervisor: reach.supervisorId } };
  return {
    sql: '(p.supervisor_id = :reachSupervisor OR p.department_id = :reachDepartment)',
    params: { reachSupervisor: reach.supervisorId, reachDepartment: reach.departmentId },
  };
}

/**
 * One page of the placements the scope allows, narrowed by the filter, by block start then
 * id (keyset: stable under inserts). Staff see their school's placements and their hospital's
 * that grant access now and their role reaches; the filter narrows within that.
 */
export async function listPlacements(
  ds: DataSource,
  scope: PlacementScope,
  filter: PlacementFilter,
  page: { limit: number; afterKey: string | null },
  now: Date,
): Promise<LazyConnection<Placement>> {
  if (scope.kind === 'nothing') return { edges: [], pageInfo: { hasNextPage: false, endCursor: null }, totalCount: async () => 0 };
  const qb = ds.getRepository(Placement).createQueryBuilder('p');
  if (scope.kind === 'institution') {
    const reach = reachClause(scope.hospital);
    qb.andWhere(`(p.school_id = :scopeId OR (p.hospital_id = :scopeId AND ${HOSPITAL_GRANT} AND ${reach.sql}))`, {
      scopeId: scope.institutionId,
      now,
      ...reach.params,
    });
  }
  if (scope.kind === 'student') qb.andWhere('p.student_id = :scopeStudent', { scopeStudent: scope.studentId });
  const columns = {
    schoolId: 'school_id',
    hospitalId: 'hospital_id',
    departmentId: 'department_id',
    blockId: 'block_id',
    studentId: 'student_id',
    status: 'status',
  } as const;
  for (const [field, column] of Object.entries(columns)) {
    const value = filter[field as keyof typeof columns];
    if (value !== null) qb.andWhere(`p.${column} = :${field}`, { [field]: value });
  }
  const counter = qb.clone();
  if (page.afterKey) {
    const [startsOn, id] = parseKey(page.afterKey);
    qb.andWhere('(p.starts_on, p.id) > (:afterStart, :afterId)', { afterStart: startsOn, afterId: id });
  }
  const rows = await qb
    .orderBy('p.starts_on', 'ASC')
    .addOrderBy('p.id', 'ASC')
    .limit(page.limit + 1)
    .getMany();
  const connection = toConnection(rows, page.limit, keyOf);
  return { edges: connection.edges, pageInfo: connection.pageInfo, totalCount: () => counter.getCount() };
}
