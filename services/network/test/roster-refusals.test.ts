import { networkAdmin, staffOf } from './support/actors';
import { rowCounts } from './support/db';
import { createDepartment, M, uniq } from './support/fixtures';
import { type NetworkHarness, ok, startNetwork } from './support/harness';
import { csv, type ImportResult, manifest, runImport, USER_HEADER } from './support/roster';

/**
 * Issue #18, "every refusal is tested": each check of the roster files, run through the upload
 * route and the worker's import code on a real database, names its file, line and column, and a
 * refused import writes nothing. A file naming another institution's orgs is refused whole in
 * every apply mode, row by row included. (roster-import.test.ts covers the others: duplicate
 * id, bad role, unknown org, missing column, bad date, cohort year, taken email, manifest.)
 */
let h: NetworkHarness;
beforeAll(async () => {
  h = await startNetwork();
});
afterAll(() => h.stop());

interface Org {
  id: string;
  name: string;
  sourcedId: string | null;
}
async function institution(kind: 'SCHOOL' | 'HOSPITAL', sourcedId: string | null): Promise<Org> {
  const name = `${kind === 'SCHOOL' ? 'Northbridge School' : 'St Aldric Hospital'} ${uniq()}`;
  const { createInstitution: i } = ok(
    await h.call(networkAdmin(), M.createInstitution, { input: { name, kind, timezone: 'Europe/Berlin', sourcedId } }),
  );
  return { id: i.id, name, sourcedId };
}

const oneRoster = (institutionId: string, applyMode: string, syncMode = 'FULL') => ({
  institutionId,
  format: 'ONEROSTER_1_2_CSV',
  syncMode,
  applyMode,
});
const plainCsv = (institutionId: string, applyMode: string) => ({ institutionId, format: 'PLAIN_CSV', syncMode: 'DELTA', applyMode });
const report = (r: ImportResult) => r.issues.map((i) => [i.file, i.line, i.column, i.message]);
const ORG_HEADER = ['sourcedId', 'name', 'type', 'parentSourcedId'];
const PEOPLE_HEADER = ['kind', 'sourcedId', 'givenName', 'familyName', 'email', 'cohortYear', 'roles', 'departmentSourcedId', 'status'];

describe('OneRoster files', () => {
  it('names every bad org, enrollment, session and user line, and an ALL_OR_NOTHING import writes nothing', async () => {
    const hospital = await institution('HOSPITAL', `SAH-${uniq()}`);
    const school = await institution('SCHOOL', `NB-${uniq()}`);
    const org = school.sourcedId!;
    const tag = uniq();
    const files = {
      'manifest.csv': manifest('bulk', { enrollments: 'bulk', academicSessions: 'bulk' }),
      'orgs.csv': csv([
        ORG_HEADER,
        [org, 'Northbridge', 'school', ''],
        [`${org}-ANAT`, 'Anatomy', 'department', org],
        ['CLUB', 'Chess club', 'club', org],
        ['ICU', 'Intensive care', 'department', hospital.sourcedId!],
      ]),
      'users.csv': csv([
        USER_HEADER,
        ['S1', '', 'true', org, 'student', 's1', 'Ada', 'Lovelace', `ada-${tag}@nb.edu`, '2024'],
        ['S2', 'retired', 'true', org, 'student', 's2', 'Alan', 'Turing', `alan-${tag}@nb.edu`, '2024'],
        ['S3', '', 'maybe', org, 'student', 's3', 'Grace', 'Hopper', `grace-${tag}@nb.edu`, '2024'],
        ['T1', '', 'true', '', 'teacher', 't1', 'Andreas', 'Vesalius', `av-${tag}@nb.edu`, ''],
        ['T2', '', 'true', hospital.sourcedId!, 'teacher', 't2', 'Someone', 'Else', `else-${tag}@sah.org`, ''],
      ]),
      'enrollments.csv': csv([
        ['sourcedId', 'classSourcedId', 'schoolSourcedId', 'userSourcedId', 'role', 'beginDate'],
        ['E1', 'C1', org, 'S1', 'janitor', '2023-09-01'],
        ['E2', 'C1', hospital.sourcedId!, 'S1', 'student', '2023-09-01'],
      ]),
      'academicSessions.csv': csv([
        ['sourcedId', 'title', 'type', 'startDate', 'endDate', 'schoolYear'],
        ['Y1', 'Year', 'century', '2024-09-01', '2024-06-30', '24'],
      ]),
    };
    const before = await rowCounts(h.dataSource);
    const result = await runImport(h, staffOf(school.id, 'INTEGRATION'), oneRoster(school.id, 'ALL_OR_NOTHING'), files);
    expect(result.status).toBe('REJECTED');
    const foreign = `${hospital.name}'s: ${school.name} imports only its own people`;
    expect(report(result)).toEqual([
      ['academicSessions.csv', 2, 'endDate', 'endDate is before startDate'],
      ['academicSessions.csv', 2, 'type', expect.stringMatching(/^bad session type "century" \(expected .*schoolYear/)],
      ['academicSessions.csv', 2, 'schoolYear', 'bad schoolYear "24" (expected a year such as 2026)'],
      ['enrollments.csv', 2, 'role', expect.stringMatching(/^bad role "janitor" \(expected .*student/)],
      ['enrollments.csv', 3, 'schoolSourcedId', `org "${hospital.sourcedId}" is ${foreign}`],
      ['orgs.csv', 4, 'type', `org "Chess club" (club) is not ${school.name} nor one of its departments`],
      ['orgs.csv', 5, 'parentSourcedId', `department "Intensive care" belongs to ${hospital.name}, not ${school.name}`],
      ['users.csv', 3, 'status', 'bad status "retired" (expected active or tobedeleted)'],
      ['users.csv', 4, 'enabledUser', 'bad enabledUser "maybe" (expected true or false)'],
      ['users.csv', 5, 'orgSourcedIds', 'orgSourcedIds is required'],
      ['users.csv', 6, 'orgSourcedIds', `org "${hospital.sourcedId}" is ${foreign}`],
    ]);
    expect(await rowCounts(h.dataSource)).toEqual(before);
  });

  it("refuses a file naming another institution's org whole even row by row, and writes nothing", async () => {
    const hospital = await institution('HOSPITAL', `SAH-${uniq()}`);
    const school = await institution('SCHOOL', `NB-${uniq()}`);
    const org = school.sourcedId!;
    const tag = uniq();
    const before = await rowCounts(h.dataSource);
    const result = await runImport(h, staffOf(school.id, 'INTEGRATION'), oneRoster(school.id, 'ROW_BY_ROW'), {
      'manifest.csv': manifest('bulk'),
      'orgs.csv': csv([ORG_HEADER, [org, 'Northbridge', 'school', ''], [`${org}-ANAT`, 'Anatomy', 'department', org]]),
      'users.csv': csv([
        USER_HEADER,
        ['S1', '', 'true', org, 'student', 's1', 'Ada', 'Lovelace', `ada-${tag}@nb.edu`, '2024'],
        ['T9', '', 'true', hospital.sourcedId!, 'teacher', 't9', 'Someone', 'Else', `else-${tag}@sah.org`, ''],
      ]),
    });
    expect(result.status).toBe('REJECTED');
    expect(report(result)).toEqual([
      ['users.csv', 3, 'orgSourcedIds', `org "${hospital.sourcedId}" is ${hospital.name}'s: ${school.name} imports only its own people`],
    ]);
    // Neither Ada's valid line nor the department: nothing is half-written.
    expect(await rowCounts(h.dataSource)).toEqual(before);
    expect(result.counts).toMatchObject({ created: 2, failed: 0 }); // what the valid lines would have created
  });

  it("asks an institution without a sourcedId to set it when the file's own org is ambiguous", async () => {
    const school = await institution('SCHOOL', null);
    const before = await rowCounts(h.dataSource);
    const result = await runImport(h, staffOf(school.id, 'INSTITUTION_ADMIN'), oneRoster(school.id, 'ALL_OR_NOTHING'), {
      'manifest.csv': manifest('bulk'),
      'orgs.csv': csv([ORG_HEADER, ['NB-NORTH', 'Northbridge North', 'school', ''], ['NB-SOUTH', 'Northbridge South', 'school', '']]),
      'users.csv': csv([USER_HEADER]),
    });
    expect(result.status).toBe('REJECTED');
    expect(report(result)).toContainEqual([
      'orgs.csv',
      null,
      'sourcedId',
      `${school.name} has no sourcedId yet and the file has 2 candidate root orgs: set the institution's sourcedId first`,
    ]);
    expect(await rowCounts(h.dataSource)).toEqual(before);
  });

  it('refuses students at a hospital: they are imported by their school', async () => {
    const hospital = await institution('HOSPITAL', `SAH-${uniq()}`);
    const org = hospital.sourcedId!;
    const result = await runImport(h, staffOf(hospital.id, 'INTEGRATION'), oneRoster(hospital.id, 'DRY_RUN'), {
      'manifest.csv': manifest('bulk'),
      'orgs.csv': csv([ORG_HEADER, [org, 'St Aldric', 'school', '']]),
      'users.csv': csv([USER_HEADER, ['S1', '', 'true', org, 'student', 's1', 'Ada', 'Lovelace', `ada-${uniq()}@sah.org`, '2024']]),
    });
    expect(report(result)).toEqual([
      ['users.csv', 2, 'role', `bad role "student": ${hospital.name} is a hospital; students are imported by their school`],
    ]);
  });
});

describe('plain CSV files', () => {
  it('names every bad line of people.csv and departments.csv, and an ALL_OR_NOTHING import writes nothing', async () => {
    const hospital = await institution('HOSPITAL', `SAH-${uniq()}`);
    const school = await institution('SCHOOL', `NB-${uniq()}`);
    await createDepartment(h, school.id, 'Anatomy'); // by hand, without a sourcedId
    ok(await h.call(networkAdmin(), M.createDepartment, { input: { institutionId: school.id, name: 'Pathology', sourcedId: 'D-PATH' } }));
    const tag = uniq();
    const files = {
      'departments.csv': csv([
        ['sourcedId', 'name'],
        ['D-PHYS', 'Physiology'],
        ['D-PHYS', 'Physiology again'],
        ['D-ANAT', 'Anatomy'],
        ['D-PATH', 'Anatomy'],
      ]),
      'people.csv': csv([
        PEOPLE_HEADER,
        ['student', 'S1', 'Ada', 'Lovelace', `ada-${tag}@nb.edu`, '2024', '', '', 'on leave'],
        ['staff', 'T1', 'Someone', 'Else', `else-${tag}@nb.edu`, '', 'TEACHER', hospital.sourcedId!, ''],
        ['alumnus', 'A1', 'Old', 'Boy', `old-${tag}@nb.edu`, '', '', '', ''],
        ['staff', 'T2', 'No', 'Role', `norole-${tag}@nb.edu`, '', '', '', ''],
        ['staff', 'T3', 'Bad', 'Role', `badrole-${tag}@nb.edu`, '', 'JANITOR', '', ''],
        ['staff', 'T4', 'Would', 'Admin', `admin-${tag}@nb.edu`, '', 'INSTITUTION_ADMIN', '', ''],
        ['staff', 'T5', 'Nowhere', 'Dept', `nowhere-${tag}@nb.edu`, '', 'TEACHER', 'D-NONE', ''],
        ['student', 'S2', 'Alan', 'Turing', `alan-${tag}@nb.edu`, '2024', '', '', ''],
        ['student', 'S3', 'Alan', 'Twin', `alan-${tag}@nb.edu`, '2024', '', '', ''],
      ]),
    };
    const before = await rowCounts(h.dataSource);
    const result = await runImport(h, staffOf(school.id, 'INTEGRATION'), plainCsv(school.id, 'ALL_OR_NOTHING'), files);
    expect(result.status).toBe('REJECTED');
    expect(report(result)).toEqual([
      ['departments.csv', 3, 'sourcedId', 'duplicate id "D-PHYS"'],
      ['departments.csv', 5, 'name', 'department name "Anatomy" is already used by another department'],
      ['people.csv', 2, 'status', 'bad status "on leave" (expected active or inactive)'],
      [
        'people.csv',
        3,
        'departmentSourcedId',
        `org "${hospital.sourcedId}" is ${hospital.name}'s: ${school.name} imports only its own people`,
      ],
      ['people.csv', 4, 'kind', 'bad kind "alumnus" (expected student or staff)'],
      ['people.csv', 5, 'roles', 'roles is required for staff'],
      ['people.csv', 6, 'roles', 'bad role "JANITOR"'],
      [
        'people.csv',
        7,
        'roles',
        'role INSTITUTION_ADMIN is not given by imports (only COORDINATOR, QUALITY_OFFICER, TEACHER, CLINICAL_INSTRUCTOR, MENTOR); give it by hand',
      ],
      ['people.csv', 8, 'departmentSourcedId', 'unknown org "D-NONE" (no such department)'],
      ['people.csv', 10, 'email', `duplicate email alan-${tag}@nb.edu (first on line 9)`],
    ]);
    expect(await rowCounts(h.dataSource)).toEqual(before);
  });

  it("refuses a file naming another institution's org whole even row by row", async () => {
    const hospital = await institution('HOSPITAL', `SAH-${uniq()}`);
    const school = await institution('SCHOOL', `NB-${uniq()}`);
    const tag = uniq();
    const before = await rowCounts(h.dataSource);
    const result = await runImport(h, staffOf(school.id, 'INTEGRATION'), plainCsv(school.id, 'ROW_BY_ROW'), {
      'people.csv': csv([
        PEOPLE_HEADER,
        ['student', 'S1', 'Ada', 'Lovelace', `ada-${tag}@nb.edu`, '2024', '', '', ''],
        ['staff', 'T1', 'Someone', 'Else', `else-${tag}@nb.edu`, '', 'TEACHER', hospital.sourcedId!, ''],
      ]),
    });
    expect(result.status).toBe('REJECTED');
    expect(report(result).map(([file, line, column]) => [file, line, column])).toEqual([['people.csv', 3, 'departmentSourcedId']]);
    expect(await rowCounts(h.dataSource)).toEqual(before);
  });

  it('refuses a file that is not readable as CSV, naming it', async () => {
    const school = await institution('SCHOOL', `NB-${uniq()}`);
    const before = await rowCounts(h.dataSource);
    const result = await runImport(h, staffOf(school.id, 'INTEGRATION'), plainCsv(school.id, 'ALL_OR_NOTHING'), {
      'people.csv': 'kind,sourcedId,givenName,familyName,email\nstudent,"S1,Ada,Lovelace,ada@nb.edu\n',
    });
    expect(result.status).toBe('REJECTED');
    expect(result.issues).toEqual([
      { file: 'people.csv', line: expect.any(Number), column: null, message: expect.stringMatching(/^not readable as CSV: /) },
    ]);
    expect(await rowCounts(h.dataSource)).toEqual(before);
  });
});
