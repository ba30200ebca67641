import { type Actor, decodeCursor, type LazyConnection } from '@medcollab/kit';
import { buildScaleWorld } from '@medcollab/scale-world';
import { listPlacements } from '../src/data/placement-list';
import { canReadPlacement, placementListScope } from '../src/domain/access-policy';
import { type PlacementFilter } from '../src/domain/validation';
import { Placement } from '../src/entities';
import { loadScaleRotations } from '../src/seed/scale-rotations';
import { type RotationsHarness, startRotations } from './support/harness';

/**
 * Rotations' placement list is read in plain SQL (the kit's plainKeysetPage, ADR 0064) and must
 * give what TypeORM gave: walked a page at a time, exactly the placements TypeORM's `find`
 * returns that the caller may read one by one (canReadPlacement, the policy the list's SQL
 * twins mirror) and the filter keeps, in (starts_on, id) order, of the same class with the same
 * values and types; cursors carrying the same keys; totalCount the number of those rows. Over a
 * generated world (tiny scale) whose completed placements' hospital access has partly run out
 * by "now", so the grant's date condition decides rows.
 */
let h: RotationsHarness;
const world = buildScaleWorld({ scale: 'tiny', seed: 'placement-page' });
const now = new Date(`${world.asOf}T12:00:00Z`);

beforeAll(async () => {
  h = await startRotations();
  await loadScaleRotations(h.dataSource, world);
}, 240_000);
afterAll(() => h?.stop());

type Page = { limit: number; afterKey: string | null };

async function walk(pageOf: (page: Page) => Promise<LazyConnection<Placement>>, size: number) {
  const rows: Placement[] = [];
  const keys: string[] = [];
  let afterKey: string | null = null;
  let totalCount = -1;
  for (let pages = 0; pages < 2_000; pages++) {
    const page = await pageOf({ limit: size, afterKey });
    expect(page.edges.length).toBeLessThanOrEqual(size);
    rows.push(...page.edges.map((e) => e.node));
    keys.push(...page.edges.map((e) => decodeCursor(e.cursor)));
    totalCount = await page.totalCount();
    if (!page.pageInfo.hasNextPage) break;
    afterKey = decodeCursor(page.pageInfo.endCursor!);
  }
  return { rows, keys, totalCount };
}

const noFilter: PlacementFilter = { schoolId: null, hospitalId: null, departmentId: null, blockId: null, studentId: null, status: null };
const hospital = world.institutions.find((i) => world.placements.some((p) => p.hospitalId === i.id && p.status === 'COMPLETED'))!;
const staffOf = (institutionId: string, role: string, withDepartment: boolean) =>
  world.staff.find(
    (s) => s.institutionId === institutionId && s.roles.includes(role as never) && (s.departmentId !== null) === withDepartment,
  )!;
const instructor = staffOf(hospital.id, 'CLINICAL_INSTRUCTOR', true);
const perBlock = new Map<string, number>();
for (const p of world.placements) perBlock.set(p.blockId, (perBlock.get(p.blockId) ?? 0) + 1);
const busiestBlock = [...perBlock].sort((a, b) => b[1] - a[1])[0]![0];
const boardSchool = world.placements.find((p) => p.blockId === busiestBlock)!.schoolId;
const actor = (personId: string, institutionId: string | null, role: string | null): Actor => ({
  personId,
  institutionId,
  roles: role ? [role as never] : [],
});
const matches = (p: Placement, f: PlacementFilter) =>
  (Object.keys(f) as (keyof PlacementFilter)[]).every((k) => f[k] === null || p[k as keyof Placement] === f[k]);

const cases: [string, Actor, string | null, PlacementFilter][] = [
  ['a network admin, everything', actor('admin', null, 'NETWORK_ADMIN'), null, noFilter],
  [
    "a school's coordinator, the busiest block (the block board)",
    actor('c', boardSchool, 'COORDINATOR'),
    null,
    { ...noFilter, blockId: busiestBlock },
  ],
  ["a hospital's coordinator, what it holds a grant for", actor('h', hospital.id, 'COORDINATOR'), null, noFilter],
  [
    "a hospital's coordinator, completed ones (the grant's date decides)",
    actor('h', hospital.id, 'COORDINATOR'),
    null,
    { ...noFilter, status: 'COMPLETED' },
  ],
  [
    'an instructor: their department and whom they supervise',
    actor(instructor.id, hospital.id, 'CLINICAL_INSTRUCTOR'),
    instructor.departmentId,
    noFilter,
  ],
  [
    'an instructor with no department on record: whom they supervise',
    actor(instructor.id, hospital.id, 'CLINICAL_INSTRUCTOR'),
    null,
    noFilter,
  ],
  ["a hospital's quality officer: none of the hospital's", actor('q', hospital.id, 'QUALITY_OFFICER'), null, noFilter],
  ['a student: their own', actor(world.placements[3]!.studentId, null, 'STUDENT'), null, noFilter],
  ['nobody in particular: nothing', actor('x', null, null), null, noFilter],
];

test.each(cases)('%s: the rows find gives and the policy allows, page by page', async (_title, who, department, filter) => {
  const all = await h.dataSource.getRepository(Placement).find({ order: { startsOn: 'ASC', id: 'ASC' } });
  const expected = all.filter((p) => canReadPlacement(who, p, now, department) && matches(p, filter));
  const walked = await walk((page) => listPlacements(h.dataSource, placementListScope(who, department), filter, page, now), 9);
  expect(walked.rows).toStrictEqual(expected);
  expect(walked.keys).toEqual(expected.map((p) => JSON.stringify([p.startsOn, p.id])));
  expect(walked.totalCount).toBe(expected.length);
});

test('the cases compare rows: the world has what each scope and the grant date can tell apart', async () => {
  const all = await h.dataSource.getRepository(Placement).find();
  const granted = all.filter((p) => p.hospitalId === hospital.id && p.status === 'COMPLETED');
  expect(granted.some((p) => p.accessUntil! > now)).toBe(true);
  expect(granted.some((p) => p.accessUntil! <= now)).toBe(true);
  expect(all.filter((p) => p.blockId === busiestBlock && p.schoolId === boardSchool).length).toBeGreaterThan(9);
  expect(all.some((p) => p.supervisorId === instructor.id)).toBe(true);
});
