import { type RosterContext } from '../../src/roster/model';
import { readOneRoster } from '../../src/roster/oneroster';
import { type Existing, type ExistingPerson, planRoster } from '../../src/roster/plan';
import { readPlainCsv } from '../../src/roster/plain';

const ctx = (over: Partial<RosterContext['institution']> = {}): RosterContext => ({
  institution: { id: 'i1', name: 'Northbridge School', kind: 'SCHOOL', sourcedId: 'NB', ...over },
  foreignOrgs: new Map([['SAH', 'St Aldric Hospital']]),
  currentYear: 2026,
});
const files = (entries: Record<string, string>) => new Map(Object.entries(entries));
const MANIFEST = 'propertyName,value\noneroster.version,1.2\nfile.users,bulk\nfile.orgs,bulk\n';
const ORGS = 'sourcedId,name,type,parentSourcedId\nNB,Northbridge,school,\nNB-A,Anatomy,department,NB\n';
const USERS_HEADER = 'sourcedId,status,enabledUser,orgSourcedIds,role,givenName,familyName,email,metadata.cohortYear\n';

const person = (over: Partial<ExistingPerson>): ExistingPerson => ({
  kind: 'student',
  id: 'p1',
  sourcedId: 'S1',
  givenName: 'Ada',
  familyName: 'Lovelace',
  email: 'ada@nb.edu',
  cohortYear: 2024,
  priorClinicalYears: 0,
  roles: [],
  departmentId: null,
  status: 'ACTIVE',
  ...over,
});
const existing = (people: ExistingPerson[], over: Partial<Existing> = {}): Existing => ({
  departments: [],
  people,
  foreignEmails: new Map(),
  ...over,
});

describe('reading OneRoster 1.2 CSV', () => {
  it('checks the manifest against the sync mode and the uploaded files', () => {
    const content = readOneRoster(
      files({
        'manifest.csv': 'propertyName,value\noneroster.version,1.1\nfile.users,bulk\nfile.enrollments,bulk\n',
        'orgs.csv': ORGS,
        'users.csv': USERS_HEADER,
      }),
      ctx(),
      'DELTA',
    );
    expect(content.issues.map((i) => [i.file, i.line, i.message])).toEqual([
      ['manifest.csv', 2, 'oneroster.version must be 1.2'],
      ['manifest.csv', 3, 'file.users must be delta for a DELTA sync (found bulk)'],
      ['manifest.csv', 4, 'enrollments.csv is listed as bulk but was not uploaded'],
    ]);
  });

  it("claims the only unclaimed root org for an institution without a sourcedId, never another institution's", () => {
    const orgs = 'sourcedId,name,type,parentSourcedId\nSAH,St Aldric,school,\nNEW,Northbridge,school,\n';
    const content = readOneRoster(
      files({ 'manifest.csv': MANIFEST, 'orgs.csv': orgs, 'users.csv': USERS_HEADER }),
      ctx({ sourcedId: null }),
      'FULL',
    );
    expect(content.institutionSourcedId).toBe('NEW');
    expect(content.issues.map((i) => i.message)).toEqual([
      'org "SAH" is St Aldric Hospital\'s: Northbridge School imports only its own people and departments',
    ]);
  });

  it('maps roles by institution kind and deactivates tobedeleted or disabled users', () => {
    const users =
      USERS_HEADER +
      'T1,,true,NB-A,teacher,Andreas,Vesalius,av@nb.edu,\n' +
      'S1,tobedeleted,true,NB,student,Ada,Lovelace,ada@nb.edu,2024\n' +
      'S2,,false,NB,student,Alan,Turing,at@nb.edu,2024\n';
    const school = readOneRoster(files({ 'manifest.csv': MANIFEST, 'orgs.csv': ORGS, 'users.csv': users }), ctx(), 'FULL');
    expect(school.issues).toEqual([]);
    expect(school.people.map((p) => [p.sourcedId, p.kind, p.roles, p.departmentSourcedId, p.active])).toEqual([
      ['T1', 'staff', ['TEACHER'], 'NB-A', true],
      ['S1', 'student', [], null, false],
      ['S2', 'student', [], null, false],
    ]);
    const hospital = readOneRoster(
      files({ 'manifest.csv': MANIFEST, 'orgs.csv': ORGS, 'users.csv': users }),
      ctx({ kind: 'HOSPITAL', name: 'Hill Hospital' }),
      'FULL',
    );
    expect(hospital.people.map((p) => p.roles)).toEqual([['CLINICAL_INSTRUCTOR']]);
    expect(hospital.issues.map((i) => i.line)).toEqual([3, 4]);
  });
});

describe('planning an import', () => {
  it('adopts a person without a sourcedId by email and changes only what differs', () => {
    const content = readPlainCsv(
      files({ 'people.csv': 'kind,sourcedId,givenName,familyName,email,cohortYear\nstudent,S1,Ada,Byron,ada@nb.edu,2024\n' }),
      ctx(),
    );
    const plan = planRoster(content, existing([person({ sourcedId: null })]), 'DELTA', 'import x');
    expect(plan.ops).toEqual([
      expect.objectContaining({ type: 'updatePerson', id: 'p1', patch: { familyName: 'Byron', sourcedId: 'S1' } }),
    ]);
  });

  it('never deactivates in a full sync a person the files name on an invalid line, nor admins', () => {
    const content = readPlainCsv(
      files({ 'people.csv': 'kind,sourcedId,givenName,familyName,email,cohortYear\nstudent,S1,Ada,Lovelace,bad-email,2024\n' }),
      ctx(),
    );
    const admin = person({ kind: 'staff', id: 'a1', sourcedId: 'HR-9', roles: ['INSTITUTION_ADMIN'], email: 'boss@nb.edu' });
    const gone = person({ id: 'p2', sourcedId: 'S2', email: 'gone@nb.edu' });
    const plan = planRoster(content, existing([person({}), admin, gone]), 'FULL', 'import x');
    expect(plan.ops).toEqual([
      expect.objectContaining({ type: 'setStatus', id: 'p2', status: 'INACTIVE', reason: 'Missing from full roster sync import x' }),
    ]);
  });

  it('refuses a change of kind, a taken email and a change to an admin, naming the people', () => {
    const content = readPlainCsv(
      files({
        'people.csv':
          'kind,sourcedId,givenName,familyName,email,cohortYear,roles\n' +
          'staff,S1,Ada,Lovelace,ada@nb.edu,,TEACHER\n' +
          'student,S5,Marie,Curie,marie@elsewhere.org,2024,\n' +
          'staff,HR-9,Big,Boss,boss@nb.edu,,MENTOR\n',
      }),
      ctx(),
    );
    const admin = person({
      kind: 'staff',
      id: 'a1',
      sourcedId: 'HR-9',
      givenName: 'Big',
      familyName: 'Boss',
      roles: ['INSTITUTION_ADMIN'],
      email: 'boss@nb.edu',
    });
    const plan = planRoster(
      content,
      existing([person({}), admin], { foreignEmails: new Map([['marie@elsewhere.org', 'Marie Curie (St Aldric Hospital)']]) }),
      'DELTA',
      'import x',
    );
    expect(plan.ops).toEqual([]);
    expect(plan.issues.map((i) => [i.line, i.message])).toEqual([
      [2, '"S1" is Ada Lovelace, a student: a person cannot change kind'],
      [3, 'email marie@elsewhere.org already belongs to Marie Curie (St Aldric Hospital)'],
      [4, 'Big Boss holds INSTITUTION_ADMIN: change admins by hand, not by import'],
    ]);
  });
});
