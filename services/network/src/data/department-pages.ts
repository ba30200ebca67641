import DataLoader from 'dataloader';
import { type Connection, plainRowReader, toConnection } from '@medcollab/kit';
import { type DataSource } from 'typeorm';
import { Department } from '../entities';
import { keyTuple, parseKeyTuple } from './keyset';
import { type LazyConnection } from './name-page';

/**
 * Nested pages of departments (`Institution.departmentsPage`, `CollaborationAgreement.departmentsPage`,
 * ADR 0056): a directory row shows a few departments and how many there are, where the plain
 * `departments` lists read and send every department of every row — on the large world 50
 * institutions and 50 agreements of a page carry ~1,800 departments, and that list, not SQL,
 * was where network's CPU for the network admin's dashboard went.
 *
 * Every parent of one request's page is read in one statement per page size and cursor (a
 * LATERAL top-N per parent over an index on the parent's id: `department_name_unique` for an
 * institution, the link's primary key for an agreement), so the statements do not grow with the
 * outer page nor with the inner one; `totalCount` is one grouped count, sent only when asked.
 */
export type DepartmentParent = 'institution' | 'agreement';

/** Name, then id: the order of the plain lists (`departments`, "by name"), made total. */
const ORDER = 't.name ASC, t.id ASC';

/** The departments of each parent in `$1`, at most `$2` each, after the cursor's (name, id) when there is one. */
const PAGE_FROM: Record<DepartmentParent, (seek: string) => string> = {
  institution: (seek) => `unnest($1::uuid[]) AS p(parent) CROSS JOIN LATERAL (
      SELECT t.* FROM department t WHERE t.institution_id = p.parent${seek} ORDER BY ${ORDER} LIMIT $2) t`,
  agreement: (seek) => `unnest($1::uuid[]) AS p(parent) CROSS JOIN LATERAL (
      SELECT t.* FROM agreement_department l JOIN department t ON t.id = l.department_id
       WHERE l.agreement_id = p.parent${seek} ORDER BY ${ORDER} LIMIT $2) t`,
};

const COUNT: Record<DepartmentParent, string> = {
  institution: `SELECT institution_id AS parent, count(*)::int AS n FROM department WHERE institution_id = ANY($1::uuid[]) GROUP BY 1`,
  agreement: `SELECT agreement_id AS parent, count(*)::int AS n FROM agreement_department WHERE agreement_id = ANY($1::uuid[]) GROUP BY 1`,
};

/** One parent's page as the resolver asks for it (limit from `first`, the cursor's key from `after`). */
export interface DepartmentPageKey {
  parentId: string;
  limit: number;
  /** The cursor's (name, id), already checked. */
  after: readonly [string, string] | null;
}

export const departmentKey = (d: Department): string => keyTuple(d.name, d.id);

/** The cursor's key as (name, id), or BAD_USER_INPUT on `after` for anything else. */
export const parseDepartmentKey = (key: string): [string, string] => parseKeyTuple(key, 2) as [string, string];

export interface DepartmentPageLoaders {
  page: DataLoader<DepartmentPageKey, Connection<Department>>;
  count: DataLoader<string, number>;
}

/** Per-request loaders of one parent kind's department pages and counts. */
export function departmentPageLoaders(ds: DataSource, parent: DepartmentParent): DepartmentPageLoaders {
  const reader = plainRowReader(ds, Department);
  const page = new DataLoader<DepartmentPageKey, Connection<Department>, string>(
    async (keys) => {
      // One statement per distinct (page size, cursor): a dashboard asks one, so one in all.
      const groups = new Map<string, DepartmentPageKey[]>();
      for (const key of keys) {
        const shape = JSON.stringify([key.limit, key.after]);
        const group = groups.get(shape);
        if (group) group.push(key);
        else groups.set(shape, [key]);
      }
      const rowsOf = new Map<string, Department[]>();
      await Promise.all(
        [...groups.values()].map(async (group) => {
          const { limit, after } = group[0]!;
          const parents = [...new Set(group.map((k) => k.parentId))];
          const seek = after ? ` AND (t.name, t.id) > ($3, $4::uuid)` : '';
          const params: unknown[] = [parents, limit + 1, ...(after ?? [])];
          const rows = await reader.keyed(PAGE_FROM[parent](seek), 'p.parent', `TRUE ORDER BY p.parent, ${ORDER}`, params);
          const shape = JSON.stringify([limit, after]);
          for (const { key, row } of rows) {
            const at = `${shape}|${key}`;
            const list = rowsOf.get(at);
            if (list) list.push(row);
            else rowsOf.set(at, [row]);
          }
        }),
      );
      return keys.map((k) => toConnection(rowsOf.get(`${JSON.stringify([k.limit, k.after])}|${k.parentId}`) ?? [], k.limit, departmentKey));
    },
    { cacheKeyFn: (k) => JSON.stringify([k.parentId, k.limit, k.after]) },
  );
  const count = new DataLoader<string, number>(async (ids) => {
    const rows = (await ds.query(COUNT[parent], [[...new Set(ids)]])) as { parent: string; n: number }[];
    const counts = new Map(rows.map((r) => [r.parent, r.n]));
    return ids.map((id) => counts.get(id) ?? 0);
  });
  return { page, count };
}

/** A parent's page of departments, its totalCount counted (with the other parents') only when asked. */
export async function departmentPage(
  loaders: DepartmentPageLoaders,
  parentId: string,
  page: { limit: number; afterKey: string | null },
): Promise<LazyConnection<Department>> {
  const after = page.afterKey ? parseDepartmentKey(page.afterKey) : null;
  const { edges, pageInfo } = await loaders.page.load({ parentId, limit: page.limit, after });
  return { edges, pageInfo, totalCount: () => loaders.count.load(parentId) };
}
