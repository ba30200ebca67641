import DataLoader from 'dataloader';
import { loaderById, loaderByParent, plainRowReader } from '@medcollab/kit';
import { type DataSource, type ObjectLiteral } from 'typeorm';
import { isUuid } from './domain/validation';
import {
  KnownDepartment,
  KnownStaff,
  KnownStudent,
  Placement,
  PreferenceWindow,
  RotationBlock,
  RotationPreference,
  RotationRequirement,
  SiteCapacity,
  SwapRequest,
} from './entities';

/** Seats held and committed at one capacity row (see domain/capacity-rules). */
export interface SeatCounts {
  held: number;
  committed: number;
}

/**
 * Per-request batch loaders: every id asked for in one tick becomes one SQL statement, so
 * nested fields and `_entities` cost a constant number of queries, not one per row. Loaders
 * that take a field argument (a block, an academic year) are kept one per argument value.
 */
export interface RotationsLoaders {
  block: DataLoader<string, RotationBlock | null>;
  placement: DataLoader<string, Placement | null>;
  swap: DataLoader<string, SwapRequest | null>;
  preference: DataLoader<string, RotationPreference | null>;
  preferenceWindow: DataLoader<string, PreferenceWindow | null>;
  capacity: DataLoader<string, SiteCapacity | null>;
  requirement: DataLoader<string, RotationRequirement | null>;
  knownStudent: DataLoader<string, KnownStudent | null>;
  knownStaff: DataLoader<string, KnownStaff | null>;
  knownDepartment: DataLoader<string, KnownDepartment | null>;
  /** Hospitals with an ACTIVE agreement with the school, by school id. */
  partnerHospitals: DataLoader<string, string[]>;
  placementsByStudent: DataLoader<string, Placement[]>;
  placementsBySupervisor: DataLoader<string, Placement[]>;
  placementsByDepartment(blockId: string | null): DataLoader<string, Placement[]>;
  capacityByDepartment(blockId: string): DataLoader<string, SiteCapacity[]>;
  seatCounts: DataLoader<string, SeatCounts>;
  preferencesByStudent(academicYear: string | null): DataLoader<string, RotationPreference[]>;
}

/** Malformed ids can match nothing; dropping them keeps PostgreSQL from rejecting the batch. */
const wellFormed = (ids: readonly string[]): string[] => ids.filter(isUuid);

/**
 * Loaders read in plain SQL (the kit's plainRowReader, ADR 0036): the statements TypeORM's
 * `find` sent, without rebuilding them and transforming rows on every request.
 */
function byId<T extends { id: string } & ObjectLiteral>(ds: DataSource, entity: new () => T): DataLoader<string, T | null> {
  return loaderById<T>(async (ids) => {
    const valid = wellFormed(ids);
    return valid.length ? plainRowReader(ds, entity).by('id', valid) : [];
  });
}

function byParent<T extends ObjectLiteral>(fetch: (ids: string[]) => Promise<T[]>, keyOf: (row: T) => string): DataLoader<string, T[]> {
  return loaderByParent<T>(async (keys) => {
    const valid = wellFormed(keys);
    return valid.length ? fetch(valid) : [];
  }, keyOf);
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

const byStart = { startsOn: 'ASC', id: 'ASC' } as const;

export function createLoaders(ds: DataSource): RotationsLoaders {
  const placements = plainRowReader(ds, Placement);
  return {
    block: byId(ds, RotationBlock),
    placement: byId(ds, Placement),
    swap: byId(ds, SwapRequest),
    preference: byId(ds, RotationPreference),
    preferenceWindow: byId(ds, PreferenceWindow),
    capacity: byId(ds, SiteCapacity),
    requirement: byId(ds, RotationRequirement),
    knownStudent: byId(ds, KnownStudent),
    knownStaff: byId(ds, KnownStaff),
    knownDepartment: byId(ds, KnownDepartment),
    partnerHospitals: new DataLoader<string, string[]>(async (schoolIds) => {
      const valid = wellFormed(schoolIds);
      const rows = valid.length
        ? ((await ds.query(
            `SELECT DISTINCT school_id, hospital_id FROM known_agreement WHERE school_id = ANY($1::uuid[]) AND status = 'ACTIVE'`,
            [valid],
          )) as { school_id: string; hospital_id: string }[])
        : [];
      return schoolIds.map((id) => rows.filter((r) => r.school_id === id).map((r) => r.hospital_id));
    }),
    placementsByStudent: byParent(
      (ids) => placements.by('studentId', ids, { order: byStart }),
      (p) => p.studentId,
    ),
    placementsBySupervisor: byParent(
      (ids) => placements.by('supervisorId', ids, { order: byStart }),
      (p) => p.supervisorId as string,
    ),
    placementsByDepartment: perArgument((blockId: string | null) =>
      byParent(
        (ids) => placements.by('departmentId', ids, { where: blockId && isUuid(blockId) ? { blockId } : {}, order: byStart }),
        (p) => p.departmentId,
      ),
    ),
    capacityByDepartment: perArgument((blockId: string) =>
      byParent(
        (ids) =>
          isUuid(blockId)
            ? plainRowReader(ds, SiteCapacity).by('departmentId', ids, { where: { blockId }, order: { schoolId: 'ASC' } })
            : Promise.resolve([]),
        (c) => c.departmentId,
      ),
    ),
    seatCounts: new DataLoader<string, SeatCounts>(async (ids) => {
      const valid = wellFormed(ids);
      const rows = valid.length
        ? ((await ds.query(
            `SELECT c.id,
                    count(p.id) FILTER (WHERE p.status <> 'CANCELLED')::int AS held,
                    count(p.id) FILTER (WHERE p.status IN ('CONFIRMED', 'IN_PROGRESS', 'COMPLETED'))::int AS committed
               FROM site_capacity c
               LEFT JOIN placement p ON p.department_id = c.department_id AND p.block_id = c.block_id AND p.school_id = c.school_id
              WHERE c.id = ANY($1::uuid[])
              GROUP BY c.id`,
            [valid],
          )) as (SeatCounts & { id: string })[])
        : [];
      const byCapacity = new Map(rows.map((r) => [r.id, { held: r.held, committed: r.committed }]));
      return ids.map((id) => byCapacity.get(id) ?? { held: 0, committed: 0 });
    }),
    preferencesByStudent: perArgument((academicYear: string | null) =>
      byParent(
        (ids) =>
          plainRowReader(ds, RotationPreference).by('studentId', ids, {
            where: academicYear ? { academicYear } : {},
            order: { academicYear: 'ASC', rank: 'ASC' },
          }),
        (p) => p.studentId,
      ),
    ),
  };
}
