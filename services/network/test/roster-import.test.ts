import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { networkAdmin, staffOf } from './support/actors';
import { outboxEvents, rowCounts } from './support/db';
import { M, uniq } from './support/fixtures';
import { codes, type NetworkHarness, ok, startNetwork } from './support/harness';
import { csv, manifest, ROSTER_IMPORT, runImport, START_IMPORT, upload, USER_HEADER } from './support/roster';

const EXAMPLES = join(__dirname, '..', '..', '..', 'docs', 'examples');

let h: NetworkHarness;
beforeAll(async () => {
  h = await startNetwork();
});
afterAll(() => h.stop());

interface Org {
  id: string;
  name: string;
  sourcedId: string;
}
async function institution(kind: 'SCHOOL' | 'HOSPITAL', sourcedId: string | null): Promise<Org> {
  const name = `${kind === 'SCHOOL' ? 'Northbridge School' : 'St Aldric Hospital'} ${uniq()}`;
  const { createInstitution: i } = ok(
    await h.call(networkAdmin(), M.createInstitution, { input: { name, kind, timezone: 'Europe/Berlin', sourcedId } }),
  );
  return { id: i.id, name, sourcedId: sourcedId ?? '' };
}

const oneRoster = (institutionId: string, syncMode = 'FULL', applyMode = 'ALL_OR_NOTHING') => ({
  institutionId,
  format: 'ONEROSTER_1_2_CSV',
  syncMode,
  applyMode,
});

/** A small school roster: two departments, three students, two teachers, with enrollments and sessions. */
function schoolFiles(org: string, tag: string, over: { users?: (string | number)[][]; orgs?: (string | number)[][] } = {}) {
  return {
    'manifest.csv': manifest('bulk', { enrollments: 'bulk', academicSessions: 'bulk' }),
    'orgs.csv': csv(
      over.orgs ?? [
        ['sourcedId', 'status', 'dateLastModified', 'name', 'type', 'identifier', 'parentSourcedId'],
        [org, '', '', 'Northbridge', 'school', '', ''],
        [`${org}-ANAT`, '', '', 'Anatomy', 'department', '', org],
        [`${org}-PHYS`, '', '', 'Physiology', 'department', '', org],
      ],
    ),
    'users.csv': csv(
      over.users ?? [
        USER_HEADER,
        ['S1', '', 'true', org, 'student', 's1', 'Ada', 'Lovelace', `ada-${tag}@nb.edu`, '2024'],
        ['S2', '', 'true', org, 'student', 's2', 'Alan', 'Turing', `alan-${tag}@nb.edu`, ''],
        ['S3', '', 'true', org, 'student', 's3', 'Grace', 'Hopper', `grace-${tag}@nb.edu`, '2025'],
        ['T1', '', 'true', `${org},${org}-ANAT`, 'teacher', 't1', 'Andreas', 'Vesalius', `vesalius-${tag}@nb.edu`, ''],
        ['T2', '', 'true', `${org}-PHYS`, 'administrator', 't2', 'Claude', 'Bernard', `bernard-${tag}@nb.edu`, ''],
      ],
    ),
    'enrollments.csv': csv([
      [
        'sourcedId',
        'status',
        'dateLastModified',
        'classSourcedId',
        'schoolSourcedId',
        'userSourcedId',
        'role',
        'primary',
        'beginDate',
        'endDate',
      ],
      ['E1', '', '', 'C1', org, 'S2', 'student', 'false', '2023-09-01', '2024-06-30'],
      ['E2', '', '', 'C1', org, 'T1', 'teacher', 'true', '2023-09-01', ''],
    ]),
    'academicSessions.csv': csv([
      ['sourcedId', 'status', 'dateLastModified', 'title', 'type', 'startDate', 'endDate', 'parentSourcedId', 'schoolYear'],
      ['Y2024', '', '', '2023-2024', 'schoolYear', '2023-09-01', '2024-06-30', '', '2024'],
    ]),
  };
}

const STUDENT = `query($i: ID!, $s: String!) { studentBySourcedId(institutionId: $i, sourcedId: $s) { id givenName cohortYear status statusReason } }`;
const STAFF = `query($i: ID!, $s: String!) { staffMemberBySourcedId(institutionId: $i, sourcedId: $s) { id roles status department { name sourcedId } } }`;

describe('OneRoster 1.2 bulk import', () => {
  it('creates departments and people keyed by sourcedId, with their events; a re-import changes nothing and emits nothing', async () => {
    const school = await institution('SCHOOL', `NB-${uniq()}`);
    const integration = staffOf(school.id, 'INTEGRATION');
    const files = schoolFiles(school.sourcedId, uniq());
    const first = await runImport(h, integration, oneRoster(school.id), files);
    expect(first).toMatchObject({ status: 'APPLIED', issueCount: 0, error: null });
    expect(first.counts).toEqual({ rows: 11, created: 7, updated: 0, unchanged: 0, deactivated: 0, reactivated: 0, failed: 0 });
    const alan = ok(await h.call(integration, STUDENT, { i: school.id, s: 'S2' })).studentBySourcedId;
    expect(alan).toMatchObject({ givenName: 'Alan', cohortYear: 2023, status: 'ACTIVE' }); // from the enrollment's beginDate
    const t1 = ok(await h.call(integration, STAFF, { i: school.id, s: 'T1' })).staffMemberBySourcedId;
    expect(t1).toMatchObject({ roles: ['TEACHER'], department: { name: 'Anatomy', sourcedId: `${school.sourcedId}-ANAT` } });
    expect(ok(await h.call(integration, STAFF, { i: school.id, s: 'T2' })).staffMemberBySourcedId.roles).toEqual(['COORDINATOR']);
    const events = (await outboxEvents(h.dataSource)).filter((e) => e.metadata.requestId?.startsWith('roster-import-'));
    const mine = events.filter((e) => (e.payload.schoolId ?? e.payload.institutionId) === school.id);
    expect(mine.map((e) => e.event_type).sort()).toEqual([
      'StaffRegistered',
      'StaffRegistered',
      'StudentRegistered',
      'StudentRegistered',
      'StudentRegistered',
    ]);

    const before = await rowCounts(h.dataSource);
    const again = await runImport(h, integration, oneRoster(school.id), files);
    expect(again).toMatchObject({ status: 'APPLIED', issueCount: 0 });
    expect(again.counts).toMatchObject({ created: 0, updated: 0, unchanged: 7, deactivated: 0 });
    expect(await rowCounts(h.dataSource)).toEqual(before);
  });

  it('updates what changed, and a full sync deactivates people missing from the files (a delta sync does not)', async () => {
    const school = await institution('SCHOOL', `NB-${uniq()}`);
    const admin = staffOf(school.id, 'INSTITUTION_ADMIN');
    const tag = uniq();
    await runImport(h, admin, oneRoster(school.id), schoolFiles(school.sourcedId, tag));
    const base = schoolFiles(school.sourcedId, tag);
    // S1 renamed (by the delta first), S3 gone, T2 moves from Physiology to Anatomy.
    const changed = csv([
      USER_HEADER,
      ['S1', '', 'true', school.sourcedId, 'student', 's1', 'Augusta Ada', 'Lovelace', `ada-${tag}@nb.edu`, '2024'],
      ['S2', '', 'true', school.sourcedId, 'student', 's2', 'Alan', 'Turing', `alan-${tag}@nb.edu`, ''],
      [
        'T1',
        '',
        'true',
        `${school.sourcedId},${school.sourcedId}-ANAT`,
        'teacher',
        't1',
        'Andreas',
        'Vesalius',
        `vesalius-${tag}@nb.edu`,
        '',
      ],
      ['T2', '', 'true', `${school.sourcedId}-ANAT`, 'administrator', 't2', 'Claude', 'Bernard', `bernard-${tag}@nb.edu`, ''],
    ]);
    const eventsBeforeDelta = (await outboxEvents(h.dataSource)).length;
    const delta = await runImport(h, admin, oneRoster(school.id, 'DELTA'), {
      ...base,
      'manifest.csv': manifest('delta'),
      'users.csv': csv([
        USER_HEADER,
        ['S1', '', 'true', school.sourcedId, 'student', 's1', 'Augusta Ada', 'Lovelace', `ada-${tag}@nb.edu`, '2024'],
      ]),
      'enrollments.csv': undefined as never,
      'academicSessions.csv': undefined as never,
    });
    expect(delta.counts).toMatchObject({ updated: 1, deactivated: 0 });
    // Only its row changed: one StudentUpdated for Ada, nobody else touched (S3, absent from it, stays active).
    // (The upload's own RosterImportQueued queues the import, ADR 0026; it says nothing about people.)
    const deltaEvents = (await outboxEvents(h.dataSource))
      .slice(eventsBeforeDelta)
      .filter((e) => e.event_type !== 'AuditRecorded' && e.event_type !== 'RosterImportQueued');
    expect(deltaEvents.map((e) => [e.event_type, e.payload.givenName])).toEqual([['StudentUpdated', 'Augusta Ada']]);
    expect(ok(await h.call(admin, STUDENT, { i: school.id, s: 'S3' })).studentBySourcedId.status).toBe('ACTIVE');
    const full = await runImport(h, admin, oneRoster(school.id), { ...base, 'users.csv': changed });
    expect(full).toMatchObject({ status: 'APPLIED', issueCount: 0 });
    expect(full.issues).toEqual([]);
    expect(full.counts).toMatchObject({ created: 0, updated: 1, deactivated: 1 });
    const grace = ok(await h.call(admin, STUDENT, { i: school.id, s: 'S3' })).studentBySourcedId;
    expect(grace).toMatchObject({
      status: 'INACTIVE',
      statusReason: expect.stringMatching(/^Missing from full roster sync roster import /),
    });
    const graceEvents = (await outboxEvents(h.dataSource, 'StudentStatusChanged')).filter((e) => e.aggregate_id === grace.id);
    expect(graceEvents.map((e) => e.payload.active)).toEqual([false]);
    expect(ok(await h.call(admin, STAFF, { i: school.id, s: 'T2' })).staffMemberBySourcedId.department.name).toBe('Anatomy');
    const ada = ok(await h.call(admin, STUDENT, { i: school.id, s: 'S1' })).studentBySourcedId;
    expect((await outboxEvents(h.dataSource, 'StudentUpdated')).filter((e) => e.aggregate_id === ada.id)).toHaveLength(1);
  });
});

describe("the institution's own sourcedId", () => {
  it("is taken from the file's only root org when the institution has none, and stored on the institution", async () => {
    const school = await institution('SCHOOL', null);
    const org = `NB-${uniq()}`;
    const result = await runImport(h, staffOf(school.id, 'INTEGRATION'), oneRoster(school.id), schoolFiles(org, uniq()));
    expect(result).toMatchObject({ status: 'APPLIED', issueCount: 0 });
    const READ = `query($id: ID!) { institution(id: $id) { sourcedId } }`;
    expect(ok(await h.call(staffOf(school.id, 'INTEGRATION'), READ, { id: school.id })).institution).toEqual({ sourcedId: org });
  });
});

describe('validation report', () => {
  it('reports each problem by file, line and column in a dry run, and writes nothing', async () => {
    const school = await institution('SCHOOL', `NB-${uniq()}`);
    const tag = uniq();
    const org = school.sourcedId;
    const files = {
      ...schoolFiles(org, tag, {
        users: [
          USER_HEADER,
          ['S1', '', 'true', org, 'student', 's1', 'Ada', 'Lovelace', `ada-${tag}@nb.edu`, '2024'],
          ['S1', '', 'true', org, 'student', 's1b', 'Ada', 'Again', `ada2-${tag}@nb.edu`, '2024'],
          ['X1', '', 'true', org, 'janitor', 'x1', 'Bad', 'Role', `x1-${tag}@nb.edu`, ''],
          ['X2', '', 'true', 'NOWHERE', 'teacher', 'x2', 'Un', 'Known', `x2-${tag}@nb.edu`, ''],
          ['X3', '', 'true', org, 'student', 'x3', 'No', 'Cohort', `x3-${tag}@nb.edu`, ''],
        ],
      }),
      'academicSessions.csv': csv([
        ['sourcedId', 'title', 'type', 'startDate', 'endDate', 'schoolYear'],
        ['Y1', 'Year', 'schoolYear', '2024-02-30', '2024-06-30', '2024'],
      ]),
      'enrollments.csv': csv([
        ['sourcedId', 'schoolSourcedId', 'userSourcedId', 'role'],
        ['E1', org, 'S1', 'student'],
      ]),
    };
    const before = await rowCounts(h.dataSource);
    const result = await runImport(h, staffOf(school.id, 'INTEGRATION'), oneRoster(school.id, 'FULL', 'DRY_RUN'), files);
    expect(result.status).toBe('VALIDATED');
    expect(result.issues.map((i) => [i.file, i.line, i.column, i.message])).toEqual([
      ['academicSessions.csv', 2, 'startDate', 'bad date "2024-02-30" (expected YYYY-MM-DD)'],
      ['enrollments.csv', 1, 'classSourcedId', 'missing required column "classSourcedId"'],
      ['users.csv', 3, 'sourcedId', 'duplicate id "S1" (first on line 2)'],
      ['users.csv', 4, 'role', expect.stringMatching(/^bad role "janitor"/)],
      ['users.csv', 5, 'orgSourcedIds', 'unknown org "NOWHERE" (not in orgs.csv)'],
      ['users.csv', 6, 'metadata.cohortYear', 'no cohort year: give metadata.cohortYear or a student enrollment with a beginDate'],
    ]);
    expect(result.counts).toMatchObject({ created: 3 }); // the two departments and Ada, had it been applied
    expect(await rowCounts(h.dataSource)).toEqual(before);
  });

  it("refuses lines naming another institution's orgs, naming it, and writes nothing (all or nothing)", async () => {
    const hospital = await institution('HOSPITAL', `SAH-${uniq()}`);
    const school = await institution('SCHOOL', `NB-${uniq()}`);
    const tag = uniq();
    const files = schoolFiles(school.sourcedId, tag, {
      orgs: [
        ['sourcedId', 'name', 'type', 'parentSourcedId'],
        [school.sourcedId, 'Northbridge', 'school', ''],
        [hospital.sourcedId, 'St Aldric', 'school', ''],
      ],
      users: [
        USER_HEADER,
        ['S1', '', 'true', school.sourcedId, 'student', 's1', 'Ada', 'Lovelace', `ada-${tag}@nb.edu`, '2024'],
        ['T9', '', 'true', hospital.sourcedId, 'teacher', 't9', 'Someone', 'Else', `else-${tag}@sah.org`, ''],
      ],
    });
    const before = await rowCounts(h.dataSource);
    const result = await runImport(h, staffOf(school.id, 'INSTITUTION_ADMIN'), oneRoster(school.id), files);
    expect(result.status).toBe('REJECTED');
    const foreign = result.issues.filter((i) => i.message.includes(hospital.name));
    expect(foreign.map((i) => [i.file, i.line])).toEqual([
      ['orgs.csv', 3],
      ['users.csv', 3],
    ]);
    expect(foreign[1]?.message).toBe(`org "${hospital.sourcedId}" is ${hospital.name}'s: ${school.name} imports only its own people`);
    expect(await rowCounts(h.dataSource)).toEqual(before);
  });

  it('applies the valid rows row by row and reports the others', async () => {
    const school = await institution('SCHOOL', `NB-${uniq()}`);
    const taken = `taken-${uniq()}@nb.edu`;
    ok(
      await h.call(networkAdmin(), M.registerStudent, {
        input: {
          schoolId: (await institution('SCHOOL', null)).id,
          givenName: 'Marie',
          familyName: 'Curie',
          email: taken,
          cohortYear: 2024,
        },
      }),
    );
    const tag = uniq();
    const result = await runImport(
      h,
      staffOf(school.id, 'INTEGRATION'),
      oneRoster(school.id, 'FULL', 'ROW_BY_ROW'),
      schoolFiles(school.sourcedId, tag, {
        users: [
          USER_HEADER,
          ['S1', '', 'true', school.sourcedId, 'student', 's1', 'Ada', 'Lovelace', `ada-${tag}@nb.edu`, '2024'],
          ['S2', '', 'true', school.sourcedId, 'student', 's2', 'Marie', 'Again', taken, '2024'],
          ['S3', '', 'true', school.sourcedId, 'student', 's3', 'Bad', 'Email', 'not-an-email', '2024'],
        ],
      }),
    );
    expect(result.status).toBe('APPLIED');
    expect(result.issues.map((i) => [i.file, i.line, i.column])).toEqual([
      ['enrollments.csv', 3, 'userSourcedId'], // T1 is not in this users.csv
      ['users.csv', 3, 'email'],
      ['users.csv', 4, 'email'],
    ]);
    expect(result.issues[2]?.message).toBe('email "not-an-email" is not a well-formed email address');
    expect(result.issues[1]?.message).toMatch(/^email .* already belongs to Marie Curie \(Northbridge School/);
    expect(result.counts).toMatchObject({ created: 3, failed: 0 }); // two departments and Ada
    expect(ok(await h.call(networkAdmin(), STUDENT, { i: school.id, s: 'S1' })).studentBySourcedId.givenName).toBe('Ada');
  });
});

describe('plain CSV import', () => {
  it('imports people.csv and departments.csv at a hospital, refusing students and admin roles', async () => {
    const hospital = await institution('HOSPITAL', null);
    const tag = uniq();
    const result = await runImport(
      h,
      staffOf(hospital.id, 'INTEGRATION'),
      { institutionId: hospital.id, format: 'PLAIN_CSV', syncMode: 'DELTA', applyMode: 'ROW_BY_ROW' },
      {
        'departments.csv': csv([
          ['sourcedId', 'name'],
          ['D-ICU', 'Intensive care'],
        ]),
        'people.csv': csv([
          ['kind', 'sourcedId', 'givenName', 'familyName', 'email', 'cohortYear', 'roles', 'departmentSourcedId', 'status'],
          ['staff', 'HR-1', 'Florence', 'Nightingale', `fn-${tag}@sah.org`, '', 'CLINICAL_INSTRUCTOR;MENTOR', 'D-ICU', ''],
          ['staff', 'HR-2', 'Boss', 'Person', `boss-${tag}@sah.org`, '', 'INSTITUTION_ADMIN', '', ''],
          ['student', 'ST-1', 'Wrong', 'Place', `wp-${tag}@sah.org`, '2024', '', '', ''],
        ]),
      },
    );
    expect(result.issues.map((i) => [i.line, i.column])).toEqual([
      [3, 'roles'],
      [4, 'kind'],
    ]);
    const fn = ok(await h.call(staffOf(hospital.id, 'INTEGRATION'), STAFF, { i: hospital.id, s: 'HR-1' })).staffMemberBySourcedId;
    expect(fn).toMatchObject({ roles: ['CLINICAL_INSTRUCTOR', 'MENTOR'], department: { name: 'Intensive care' } });
  });
});

describe('upload link and access', () => {
  it('works once, only with its token, and only for the institution’s admins and integration accounts', async () => {
    const school = await institution('SCHOOL', `NB-${uniq()}`);
    const other = await institution('SCHOOL', null);
    const input = oneRoster(school.id);
    expect(codes(await h.call(staffOf(other.id, 'INTEGRATION'), START_IMPORT, { input }))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(staffOf(school.id, 'TEACHER'), START_IMPORT, { input }))).toEqual(['FORBIDDEN']);
    expect(codes(await h.call(staffOf(school.id, 'INTEGRATION'), START_IMPORT, { input: { ...input, format: 'XLSX' } }))).toEqual([
      'BAD_USER_INPUT',
    ]);
    const { startRosterImport: link } = ok(await h.call(staffOf(school.id, 'INTEGRATION'), START_IMPORT, { input }));
    expect(link.requiredFiles).toEqual(['manifest.csv', 'orgs.csv', 'users.csv']);
    expect(link.uploadUrl.endsWith(link.uploadPath)).toBe(true);
    const files = schoolFiles(school.sourcedId, uniq());
    expect((await upload(h, link.uploadPath.replace(/token=.*/, 'token=wrong'), files)).status).toBe(404);
    expect((await upload(h, link.uploadPath, { 'users.csv': files['users.csv'] })).status).toBe(400);
    expect((await upload(h, link.uploadPath, { ...files, 'evil.sh': 'rm -rf /' })).status).toBe(400);
    expect((await upload(h, link.uploadPath, files)).status).toBe(202);
    expect((await upload(h, link.uploadPath, files)).status).toBe(409);
    expect(codes(await h.call(staffOf(other.id, 'INSTITUTION_ADMIN'), ROSTER_IMPORT, { id: link.import.id }))).toEqual(['FORBIDDEN']);
    expect(ok(await h.call(staffOf(school.id, 'INSTITUTION_ADMIN'), ROSTER_IMPORT, { id: link.import.id })).rosterImport.status).toBe(
      'QUEUED',
    );
  });
});

describe('the example files of docs/integration.md', () => {
  const examples = (dir: string) =>
    Object.fromEntries(readdirSync(join(EXAMPLES, dir)).map((f) => [f, readFileSync(join(EXAMPLES, dir, f), 'utf8')]));

  it('import cleanly: OneRoster at a school, plain CSV at a hospital', async () => {
    const school = await institution('SCHOOL', 'NB-SCHOOL');
    const oneRosterResult = await runImport(h, staffOf(school.id, 'INTEGRATION'), oneRoster(school.id), examples('oneroster'));
    expect(oneRosterResult).toMatchObject({ status: 'APPLIED', issueCount: 0 });
    expect(oneRosterResult.counts).toMatchObject({ created: 8 }); // 2 departments, 3 students, 3 staff
    const hospital = await institution('HOSPITAL', 'SAH');
    const plain = await runImport(
      h,
      staffOf(hospital.id, 'INTEGRATION'),
      { institutionId: hospital.id, format: 'PLAIN_CSV', syncMode: 'DELTA', applyMode: 'ALL_OR_NOTHING' },
      examples('plain-csv'),
    );
    expect(plain).toMatchObject({ status: 'APPLIED', issueCount: 0 });
    expect(plain.counts).toMatchObject({ created: 5, unchanged: 1 }); // the inactive newcomer is not created
  });
});

describe('OneRoster 1.2 roles.csv, courses and classes', () => {
  /** OneRoster 1.2 proper: users.csv without role or orgs, roles.csv with one line per user, role and org. */
  function rolesFiles(
    org: string,
    tag: string,
    over: { roles?: (string | number)[][]; classes?: (string | number)[][]; enrollments?: (string | number)[][] } = {},
  ) {
    const roleHeader = [
      'sourcedId',
      'status',
      'dateLastModified',
      'userSourcedId',
      'roleType',
      'role',
      'orgSourcedId',
      'beginDate',
      'endDate',
    ];
    return {
      'manifest.csv': csv([
        ['propertyName', 'value'],
        ['oneroster.version', '1.2'],
        ['file.orgs', 'bulk'],
        ['file.users', 'bulk'],
        ['file.roles', 'bulk'],
        ['file.courses', 'bulk'],
        ['file.classes', 'bulk'],
        ['file.enrollments', 'bulk'],
        ['file.academicSessions', 'bulk'],
      ]),
      'orgs.csv': csv([
        ['sourcedId', 'name', 'type', 'parentSourcedId'],
        [org, 'Northbridge', 'school', ''],
        [`${org}-ANAT`, 'Anatomy', 'department', org],
        [`${org}-PHYS`, 'Physiology', 'department', org],
      ]),
      'users.csv': csv([
        ['sourcedId', 'status', 'enabledUser', 'username', 'givenName', 'familyName', 'email', 'metadata.cohortYear'],
        ['S1', '', 'true', 's1', 'Ada', 'Lovelace', `ada-${tag}@nb.edu`, '2024'],
        ['T1', '', 'true', 't1', 'Andreas', 'Vesalius', `vesalius-${tag}@nb.edu`, ''],
        ['T2', '', 'true', 't2', 'Claude', 'Bernard', `bernard-${tag}@nb.edu`, ''],
      ]),
      'roles.csv': csv([
        roleHeader,
        ...(over.roles ?? [
          ['R1', '', '', 'S1', 'primary', 'student', org, '2024-09-01', ''],
          ['R2', '', '', 'T1', 'secondary', 'counselor', org, '', ''],
          ['R3', '', '', 'T1', 'primary', 'teacher', `${org}-ANAT`, '2020-09-01', ''],
          ['R4', '', '', 'T2', 'primary', 'administrator', `${org}-PHYS`, '', ''],
          ['R5', 'tobedeleted', '', 'T2', 'secondary', 'teacher', `${org}-PHYS`, '', ''],
        ]),
      ]),
      'courses.csv': csv([
        ['sourcedId', 'title', 'courseCode', 'orgSourcedId'],
        ['CO1', 'Gross Anatomy', 'ANAT101', org],
      ]),
      'classes.csv': csv([
        ['sourcedId', 'title', 'courseSourcedId', 'classType', 'schoolSourcedId', 'termSourcedIds'],
        ...(over.classes ?? [['C1', 'Gross Anatomy 2024', 'CO1', 'scheduled', org, 'Y2025']]),
      ]),
      'enrollments.csv': csv([
        ['sourcedId', 'classSourcedId', 'schoolSourcedId', 'userSourcedId', 'role', 'beginDate'],
        ...(over.enrollments ?? [['E1', 'C1', org, 'S1', 'student', '2024-09-01']]),
      ]),
      'academicSessions.csv': csv([
        ['sourcedId', 'title', 'type', 'startDate', 'endDate', 'schoolYear'],
        ['Y2025', '2024-2025', 'schoolYear', '2024-09-01', '2025-06-30', '2025'],
      ]),
    };
  }

  it("takes people's roles and departments from roles.csv (primary org first), ignoring lines to be deleted", async () => {
    const school = await institution('SCHOOL', `NB-${uniq()}`);
    const org = school.sourcedId;
    const result = await runImport(h, staffOf(school.id, 'INTEGRATION'), oneRoster(school.id), rolesFiles(org, uniq()));
    expect(result).toMatchObject({ status: 'APPLIED', issueCount: 0 });
    expect(result.counts).toMatchObject({ created: 5 }); // two departments, Ada, Andreas, Claude
    const staff = async (s: string) => ok(await h.call(networkAdmin(), STAFF, { i: school.id, s })).staffMemberBySourcedId;
    expect(await staff('T1')).toMatchObject({ roles: ['TEACHER', 'MENTOR'], department: { name: 'Anatomy', sourcedId: `${org}-ANAT` } });
    expect(await staff('T2')).toMatchObject({ roles: ['COORDINATOR'], department: { name: 'Physiology' } });
    expect(ok(await h.call(networkAdmin(), STUDENT, { i: school.id, s: 'S1' })).studentBySourcedId).toMatchObject({ cohortYear: 2024 });
  });

  it('reports every bad line of roles.csv, courses.csv and classes.csv in a dry run, and writes nothing', async () => {
    const school = await institution('SCHOOL', `NB-${uniq()}`);
    const other = await institution('HOSPITAL', `SAH-${uniq()}`);
    const org = school.sourcedId;
    const files = rolesFiles(org, uniq(), {
      roles: [
        ['R1', '', '', 'S1', 'primary', 'student', org, '', ''],
        ['R1', '', '', 'T1', 'primary', 'teacher', org, '', ''],
        ['R3', '', '', 'NOBODY', 'primary', 'teacher', org, '', ''],
        ['R4', '', '', 'T1', 'main', 'guardian', org, '', ''],
        ['R5', '', '', 'T2', 'primary', 'teacher', other.sourcedId, '2025-01-01', '2024-12-31'],
        ['R6', '', '', 'S1', 'secondary', 'teacher', org, '2024-13-01', ''],
      ],
      classes: [
        ['C1', 'Gross Anatomy 2024', 'CO9', 'lecture', org, 'Y2099'],
        ['C2', 'Histology', 'CO1', 'scheduled', org, ''],
      ],
      enrollments: [['E1', 'C7', org, 'S1', 'student', '2024-09-01']],
    });
    const before = await rowCounts(h.dataSource);
    const result = await runImport(h, staffOf(school.id, 'INTEGRATION'), oneRoster(school.id, 'FULL', 'DRY_RUN'), files);
    expect(result.status).toBe('VALIDATED');
    const sorted = (issues: (string | number | null)[][]) => [...issues].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    expect(sorted(result.issues.map((i) => [i.file, i.line, i.column, i.message]))).toEqual(
      sorted([
        ['classes.csv', 2, 'courseSourcedId', 'unknown course "CO9" (not in courses.csv)'],
        ['classes.csv', 2, 'classType', 'bad classType "lecture" (expected homeroom or scheduled)'],
        ['classes.csv', 2, 'termSourcedIds', 'unknown term "Y2099" (not in academicSessions.csv)'],
        ['classes.csv', 3, 'termSourcedIds', 'termSourcedIds is required'],
        ['enrollments.csv', 2, 'classSourcedId', 'unknown class "C7" (not in classes.csv)'],
        ['roles.csv', 3, 'sourcedId', 'duplicate id "R1" (first on line 2)'],
        ['roles.csv', 4, 'userSourcedId', 'unknown user "NOBODY" (not in users.csv)'],
        ['roles.csv', 5, 'roleType', 'bad roleType "main" (expected primary or secondary)'],
        ['roles.csv', 5, 'role', expect.stringMatching(/^bad role "guardian" \(expected student, teacher/)],
        ['roles.csv', 6, 'orgSourcedId', `org "${other.sourcedId}" is ${other.name}'s: ${school.name} imports only its own people`],
        ['roles.csv', 6, 'endDate', 'endDate is before beginDate'],
        ['roles.csv', 7, 'beginDate', 'bad date "2024-13-01" (expected YYYY-MM-DD)'],
        ['users.csv', 3, 'sourcedId', 'no role for user "T1" in roles.csv'],
        ['users.csv', 4, 'sourcedId', 'no role for user "T2" in roles.csv'],
      ]),
    );
    expect(await rowCounts(h.dataSource)).toEqual(before);

    // A person is a student or staff, not both.
    const both = rolesFiles(org, uniq(), {
      roles: [
        ['R1', '', '', 'S1', 'primary', 'student', org, '', ''],
        ['R2', '', '', 'S1', 'secondary', 'teacher', org, '', ''],
        ['R3', '', '', 'T1', 'primary', 'teacher', org, '', ''],
        ['R4', '', '', 'T2', 'primary', 'teacher', org, '', ''],
      ],
    });
    const mixed = await runImport(h, staffOf(school.id, 'INTEGRATION'), oneRoster(school.id, 'FULL', 'DRY_RUN'), both);
    expect(mixed.issues.map((i) => [i.file, i.line, i.column, i.message])).toEqual([
      ['users.csv', 2, 'sourcedId', 'user "S1" has student and staff roles in roles.csv (student, teacher): a person is one or the other'],
    ]);
  });
});
