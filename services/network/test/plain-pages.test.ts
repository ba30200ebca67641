import { decodeCursor } from '@medcollab/kit';
import { buildScaleWorld } from '@medcollab/scale-world';
import { type FindOptionsWhere, type ObjectLiteral, type Repository } from 'typeorm';
import { type AgreementScope, type ListScope } from '../src/domain/access-policy';
import { type AgreementFilter, type StaffFilter, type StudentFilter } from '../src/domain/validation';
import { AgreementDepartment, CollaborationAgreement, Institution, StaffMember, Student } from '../src/entities';
import { createLoaders } from '../src/loaders';
import { listAgreements, pageAgreements } from '../src/data/agreements';
import { pageInstitutions } from '../src/data/institutions';
import { type LazyConnection } from '../src/data/name-page';
import { listStaff } from '../src/data/staff';
import { listStudents } from '../src/data/students';
import { loadScaleNetwork } from '../src/seed/scale-network';
import { type NetworkHarness, startNetwork } from './support/harness';

/**
 * The network's list pages (students, staff, institutionsPage, agreementsPage and the plain
 * agreements list) read in plain SQL (the kit's plainKeysetPage, ADR 0036) and must give what TypeORM gave:
 * walked a page at a time, exactly the rows TypeORM's `find` returns for the same scope and
 * filter, in the same order, of the same class with the same values and types; cursors carrying
 * the same sort keys; totalCount the number of those rows. Over a generated network (tiny
 * scale), whose 192 possible names give many ties, so the id's place in the order is exercised
 * across pages. The agreements' departments (one statement over the link table) likewise.
 */
let h: NetworkHarness;
const world = buildScaleWorld({ scale: 'tiny', seed: 'plain-pages' });

beforeAll(async () => {
  h = await startNetwork();
  await loadScaleNetwork(h.dataSource, world);
}, 240_000);
afterAll(() => h?.stop());

type Page = { limit: number; afterKey: string | null };

/** Every row of a paged list, walking pages of `size`; with every cursor's key and the totalCount. */
async function walk<T>(pageOf: (page: Page) => Promise<LazyConnection<T>>, size: number) {
  const rows: T[] = [];
  const keys: string[] = [];
  let afterKey: string | null = null;
  let totalCount = -1;
  for (let pages = 0; pages < 1_000; pages++) {
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

const repo = <T extends ObjectLiteral>(entity: new () => T): Repository<T> => h.dataSource.getRepository(entity);
const PERSON_ORDER = { familyName: 'ASC', givenName: 'ASC', id: 'ASC' } as const;
const personKey = (p: { familyName: string; givenName: string; id: string }) => JSON.stringify([p.familyName, p.givenName, p.id]);

const school = () => world.institutions.find((i) => i.kind === 'SCHOOL')!;
const hospital = () => world.institutions.find((i) => i.kind === 'HOSPITAL')!;
const noStudentFilter: StudentFilter = { institutionId: null, cohortYear: null, search: null };
const noStaffFilter: StaffFilter = { institutionId: null, departmentId: null, role: null, search: null };

describe('students', () => {
  const cases: [string, ListScope, StudentFilter, FindOptionsWhere<Student>, ((s: Student) => boolean) | null][] = [
    ['everyone (network admin)', { kind: 'all' }, noStudentFilter, {}, null],
    ["a school's", { kind: 'institution', institutionId: school().id }, noStudentFilter, { schoolId: school().id }, null],
    ['oneself', { kind: 'self', personId: world.students[7]!.id }, noStudentFilter, { id: world.students[7]!.id }, null],
    ['a cohort', { kind: 'all' }, { ...noStudentFilter, cohortYear: 2023 }, { cohortYear: 2023 }, null],
    [
      'a search',
      { kind: 'all' },
      { ...noStudentFilter, search: 'ber' },
      {},
      (s) => `${s.givenName} ${s.familyName} ${s.email}`.toLowerCase().includes('ber'),
    ],
  ];
  test.each(cases)('%s: the rows find gives, in its order, page by page', async (_title, scope, filter, where, keep) => {
    const orm = (await repo(Student).find({ where, order: PERSON_ORDER })).filter(keep ?? (() => true));
    expect(orm.length).toBeGreaterThan(0);
    const walked = await walk((page) => listStudents(h.dataSource, scope, filter, page), 7);
    expect(walked.rows).toStrictEqual(orm);
    expect(walked.keys).toEqual(orm.map(personKey));
    expect(walked.totalCount).toBe(orm.length);
  });

  test('the generated names tie, so the id decides the order across pages', async () => {
    const names = new Set(world.students.map((s) => `${s.familyName}/${s.givenName}`));
    expect(names.size).toBeLessThan(world.students.length);
  });
});

describe('staff', () => {
  const department = world.departments[0]!;
  const cases: [string, ListScope, StaffFilter, FindOptionsWhere<StaffMember>, ((s: StaffMember) => boolean) | null][] = [
    ['everyone (network admin)', { kind: 'all' }, noStaffFilter, {}, null],
    ["a hospital's", { kind: 'institution', institutionId: hospital().id }, noStaffFilter, { institutionId: hospital().id }, null],
    ['a department', { kind: 'all' }, { ...noStaffFilter, departmentId: department.id }, { departmentId: department.id }, null],
    ['a role', { kind: 'all' }, { ...noStaffFilter, role: 'COORDINATOR' }, {}, (s) => s.roles.includes('COORDINATOR')],
  ];
  test.each(cases)('%s: the rows find gives, in its order, page by page', async (_title, scope, filter, where, keep) => {
    const orm = (await repo(StaffMember).find({ where, order: PERSON_ORDER })).filter(keep ?? (() => true));
    expect(orm.length).toBeGreaterThan(0);
    const walked = await walk((page) => listStaff(h.dataSource, scope, filter, page), 6);
    expect(walked.rows).toStrictEqual(orm);
    expect(walked.keys).toEqual(orm.map(personKey));
    expect(walked.totalCount).toBe(orm.length);
  });
});

describe('institutionsPage', () => {
  test.each([null, 'HOSPITAL', 'SCHOOL'] as const)('kind %s: the rows find gives, by name then id', async (kind) => {
    const orm = await repo(Institution).find({ where: kind ? { kind } : {}, order: { name: 'ASC', id: 'ASC' } });
    const walked = await walk((page) => pageInstitutions(h.dataSource, kind, page), 2);
    expect(walked.rows).toStrictEqual(orm);
    expect(walked.keys).toEqual(orm.map((i) => JSON.stringify([i.name, i.id])));
    expect(walked.totalCount).toBe(orm.length);
  });
});

describe('agreements', () => {
  const noFilter: AgreementFilter = { schoolId: null, hospitalId: null, status: null };
  const cases: [string, AgreementScope, AgreementFilter, FindOptionsWhere<CollaborationAgreement>[]][] = [
    ['every agreement (network admin)', { kind: 'all' }, noFilter, [{}]],
    [
      "a hospital's (a party)",
      { kind: 'party', institutionId: hospital().id },
      noFilter,
      [{ schoolId: hospital().id }, { hospitalId: hospital().id }],
    ],
    [
      'active ones of a school',
      { kind: 'all' },
      { ...noFilter, schoolId: school().id, status: 'ACTIVE' },
      [{ schoolId: school().id, status: 'ACTIVE' }],
    ],
  ];
  test.each(cases)('%s: the list and its pages give the rows find gives, latest start first', async (_title, scope, filter, where) => {
    const orm = await repo(CollaborationAgreement).find({ where, order: { startsOn: 'DESC', id: 'ASC' } });
    expect(orm.length).toBeGreaterThan(0);
    expect(await listAgreements(h.dataSource, scope, filter)).toStrictEqual(orm);
    const walked = await walk((page) => pageAgreements(h.dataSource, scope, filter, page), 2);
    expect(walked.rows).toStrictEqual(orm);
    expect(walked.keys).toEqual(orm.map((a) => JSON.stringify([a.startsOn, a.id])));
    expect(walked.totalCount).toBe(orm.length);
  });

  test('each agreement’s departments, in one statement, as find with the link’s relation gives them', async () => {
    const ids = world.agreements.map((a) => a.id);
    const links = await repo(AgreementDepartment).find({ relations: { department: true } });
    expect(links.length).toBeGreaterThan(ids.length);
    const loaders = createLoaders(h.dataSource);
    const before = h.counter.count;
    const loaded = await Promise.all(ids.map((id) => loaders.departmentsByAgreement.load(id)));
    expect(h.counter.count - before).toBe(1);
    for (const [i, id] of ids.entries()) {
      const expected = links
        .filter((l) => l.agreementId === id)
        .map((l) => l.department!)
        .sort((a, b) => a.name.localeCompare(b.name));
      expect(loaded[i]).toStrictEqual(expected);
      expect(loaded[i]!.length).toBe(world.agreements[i]!.departmentIds.length);
    }
  });
});
