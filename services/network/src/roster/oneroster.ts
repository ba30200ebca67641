import { type Role } from '@medcollab/kit';
import { isIsoDate, readCsv } from './csv';
import {
  type DesiredDepartment,
  type DesiredPerson,
  type RosterContent,
  type RosterContext,
  type RosterIssue,
  type RosterSyncMode,
} from './model';
import { LineChecker } from './people-rules';

/**
 * 1EdTech OneRoster 1.2 CSV bulk and delta files, as MedCollab reads them:
 * - manifest.csv (propertyName,value): oneroster.version 1.2; file.users must be `bulk` for a
 *   FULL sync and `delta` for a DELTA sync; every file marked bulk or delta must be uploaded.
 * - orgs.csv: the institution's own org (its sourcedId, or the only org without a parent when
 *   the institution has none yet) and its `department` orgs, which become departments.
 * - roles.csv (OneRoster 1.2: one line per user, role and org): when uploaded, a person's roles
 *   and department come from it (every line of the user that is not `tobedeleted`); users.csv
 *   then needs no `role` nor `orgSourcedIds`. Without it, users.csv's `role` and
 *   `orgSourcedIds` columns are read (as OneRoster 1.1 and many 1.2 exports carry them).
 *   student → a student (schools only); teacher → TEACHER at a school, CLINICAL_INSTRUCTOR at a
 *   hospital; administrator, siteAdministrator, districtAdministrator, principal → COORDINATOR;
 *   counselor → MENTOR; a person is a student or staff, not both. A student's cohort year is
 *   `metadata.cohortYear`, else the year of their earliest enrollment's beginDate. `status`
 *   tobedeleted or `enabledUser` false deactivates the person. A staff member's department is
 *   the first department among their (primary first) role orgs, else among `orgSourcedIds`.
 * - enrollments.csv and academicSessions.csv are checked (people, orgs, roles, dates) and
 *   give cohort years.
 * - courses.csv and classes.csv are checked (ids, orgs, courses, terms; an enrollment's class
 *   must be in classes.csv when it is uploaded) and not kept: MedCollab has no class. A course
 *   is what the curriculum calls a module and a class a module's run in a term; programme and
 *   module enrolments belong to the curriculum service, which the network's roster import does
 *   not write (docs/integration.md).
 */

const STAFF_ROLE: Record<string, (kind: 'SCHOOL' | 'HOSPITAL') => Role> = {
  teacher: (kind) => (kind === 'SCHOOL' ? 'TEACHER' : 'CLINICAL_INSTRUCTOR'),
  administrator: () => 'COORDINATOR',
  siteAdministrator: () => 'COORDINATOR',
  districtAdministrator: () => 'COORDINATOR',
  principal: () => 'COORDINATOR',
  counselor: () => 'MENTOR',
};
const ENROLLMENT_ROLES = ['student', 'teacher', 'administrator', 'proctor', 'aide'];
const SESSION_TYPES = ['gradingPeriod', 'semester', 'schoolYear', 'term'];
const ROOT_ORG_TYPES = ['school', 'district', 'local', 'state', 'national'];
const ROLE_TYPES = ['primary', 'secondary'];
const CLASS_TYPES = ['homeroom', 'scheduled'];

/** A person's roles as roles.csv gives them: role and org, primary ones first. */
interface RoleLine {
  role: string;
  orgSourcedId: string;
  primary: boolean;
}

export function readOneRoster(files: ReadonlyMap<string, string>, ctx: RosterContext, mode: RosterSyncMode): RosterContent {
  const issues: RosterIssue[] = [];
  const content: RosterContent = {
    institutionSourcedId: ctx.institution.sourcedId,
    departments: [],
    people: [],
    rows: 0,
    mentioned: new Set(),
    issues,
    namesOtherInstitutions: false,
  };

  const manifest = readCsv('manifest.csv', files.get('manifest.csv') ?? '', ['propertyName', 'value'], issues);
  const props = new Map(
    (manifest?.rows ?? []).map((r) => [r.values.propertyName ?? '', { value: (r.values.value ?? '').trim(), line: r.line }]),
  );
  if (manifest) {
    const version = props.get('oneroster.version');
    if (version?.value !== '1.2')
      issues.push({ file: 'manifest.csv', line: version?.line ?? null, column: 'value', message: 'oneroster.version must be 1.2' });
    const users = props.get('file.users');
    const expected = mode === 'FULL' ? 'bulk' : 'delta';
    if (users?.value !== expected)
      issues.push({
        file: 'manifest.csv',
        line: users?.line ?? null,
        column: 'value',
        message: `file.users must be ${expected} for a ${mode} sync (found ${users?.value || 'nothing'})`,
      });
    for (const [property, { value, line }] of props) {
      const file = property.startsWith('file.') ? `${property.slice(5)}.csv` : null;
      if (file && (value === 'bulk' || value === 'delta') && !files.has(file))
        issues.push({ file: 'manifest.csv', line, column: 'value', message: `${file} is listed as ${value} but was not uploaded` });
    }
  }

  // Orgs: ours and our departments. Another institution's org is refused by name.
  const orgs = readCsv('orgs.csv', files.get('orgs.csv') ?? '', ['sourcedId', 'name', 'type'], issues);
  let own = ctx.institution.sourcedId;
  if (!own && orgs) {
    const roots = orgs.rows.filter((r) => !r.values.parentSourcedId && ROOT_ORG_TYPES.includes(r.values.type ?? ''));
    const unclaimed = roots.filter((r) => !ctx.foreignOrgs.has(r.values.sourcedId ?? ''));
    if (unclaimed.length === 1) own = unclaimed[0]?.values.sourcedId ?? null;
    else
      issues.push({
        file: 'orgs.csv',
        line: null,
        column: 'sourcedId',
        message: `${ctx.institution.name} has no sourcedId yet and the file has ${unclaimed.length} candidate root orgs: set the institution's sourcedId first`,
      });
  }
  content.institutionSourcedId = own;
  const departmentIds = new Set<string>();
  const orgLines = new Map<string, number>();
  for (const row of orgs?.rows ?? []) {
    content.rows++;
    const check = new LineChecker('orgs.csv', row.line, issues);
    const sourcedId = check.sourcedId(row.values, 'sourcedId');
    const name = check.required(row.values, 'name');
    if (sourcedId === null || name === null) continue;
    if (orgLines.has(sourcedId)) {
      check.fail('sourcedId', `duplicate id "${sourcedId}" (first on line ${orgLines.get(sourcedId)})`);
      continue;
    }
    orgLines.set(sourcedId, row.line);
    const foreign = ctx.foreignOrgs.get(sourcedId);
    if (foreign) {
      content.namesOtherInstitutions = true;
      check.fail('sourcedId', `org "${sourcedId}" is ${foreign}'s: ${ctx.institution.name} imports only its own people and departments`);
      continue;
    }
    if (sourcedId === own) continue;
    const type = row.values.type ?? '';
    if (type !== 'department') {
      check.fail('type', `org "${name}" (${type || 'no type'}) is not ${ctx.institution.name} nor one of its departments`);
      continue;
    }
    const parent = row.values.parentSourcedId ?? '';
    if (ctx.foreignOrgs.has(parent)) {
      content.namesOtherInstitutions = true;
      check.fail('parentSourcedId', `department "${name}" belongs to ${ctx.foreignOrgs.get(parent)}, not ${ctx.institution.name}`);
      continue;
    }
    if (name.length < 2 || name.length > 200) {
      check.fail('name', 'name must be 2 to 200 characters');
      continue;
    }
    departmentIds.add(sourcedId);
    content.departments.push({ sourcedId, name, file: 'orgs.csv', line: row.line } satisfies DesiredDepartment);
  }
  const knownOrg = (id: string) => id === own || departmentIds.has(id);
  const orgRefusal = (id: string) => {
    if (!ctx.foreignOrgs.has(id)) return `unknown org "${id}" (not in orgs.csv)`;
    content.namesOtherInstitutions = true;
    return `org "${id}" is ${ctx.foreignOrgs.get(id)}'s: ${ctx.institution.name} imports only its own people`;
  };

  // Enrollments first: they give students' cohort years.
  const firstEnrollmentYear = new Map<string, number>();
  const enrollmentsText = files.get('enrollments.csv');
  const userIdsInFile = new Set<string>();
  const rolesText = files.get('roles.csv');
  const usersTable = readCsv(
    'users.csv',
    files.get('users.csv') ?? '',
    rolesText === undefined
      ? ['sourcedId', 'role', 'orgSourcedIds', 'givenName', 'familyName', 'email']
      : ['sourcedId', 'givenName', 'familyName', 'email'],
    issues,
  );
  for (const row of usersTable?.rows ?? []) if (row.values.sourcedId) userIdsInFile.add(row.values.sourcedId.trim());
  for (const id of userIdsInFile) content.mentioned.add(id);
  if (enrollmentsText !== undefined) {
    const table = readCsv(
      'enrollments.csv',
      enrollmentsText,
      ['sourcedId', 'classSourcedId', 'schoolSourcedId', 'userSourcedId', 'role'],
      issues,
    );
    for (const row of table?.rows ?? []) {
      content.rows++;
      const check = new LineChecker('enrollments.csv', row.line, issues);
      const user = check.required(row.values, 'userSourcedId');
      const school = check.required(row.values, 'schoolSourcedId');
      const role = check.required(row.values, 'role');
      if (school !== null && !knownOrg(school)) check.fail('schoolSourcedId', orgRefusal(school));
      if (role !== null && !ENROLLMENT_ROLES.includes(role))
        check.fail('role', `bad role "${role}" (expected ${ENROLLMENT_ROLES.join(', ')})`);
      if (user !== null && !userIdsInFile.has(user) && mode === 'FULL')
        check.fail('userSourcedId', `unknown user "${user}" (not in users.csv)`);
      for (const column of ['beginDate', 'endDate']) {
        const value = row.values[column];
        if (value && !isIsoDate(value)) check.fail(column, `bad date "${value}" (expected YYYY-MM-DD)`);
      }
      const begin = row.values.beginDate;
      if (user && role === 'student' && begin && isIsoDate(begin)) {
        const year = Number(begin.slice(0, 4));
        firstEnrollmentYear.set(user, Math.min(year, firstEnrollmentYear.get(user) ?? year));
      }
    }
  }

  const rolesByUser =
    rolesText === undefined ? undefined : readRoles(rolesText, issues, content, { knownOrg, orgRefusal, userIdsInFile, mode });

  const sessionIds = new Set<string>();
  const sessionsText = files.get('academicSessions.csv');
  if (sessionsText !== undefined) {
    const table = readCsv(
      'academicSessions.csv',
      sessionsText,
      ['sourcedId', 'title', 'type', 'startDate', 'endDate', 'schoolYear'],
      issues,
    );
    for (const row of table?.rows ?? []) {
      content.rows++;
      const check = new LineChecker('academicSessions.csv', row.line, issues);
      if (row.values.sourcedId) sessionIds.add(row.values.sourcedId.trim());
      const start = check.required(row.values, 'startDate');
      const end = check.required(row.values, 'endDate');
      if (start !== null && !isIsoDate(start)) check.fail('startDate', `bad date "${start}" (expected YYYY-MM-DD)`);
      if (end !== null && !isIsoDate(end)) check.fail('endDate', `bad date "${end}" (expected YYYY-MM-DD)`);
      if (start && end && isIsoDate(start) && isIsoDate(end) && end < start) check.fail('endDate', 'endDate is before startDate');
      const type = row.values.type ?? '';
      if (!SESSION_TYPES.includes(type)) check.fail('type', `bad session type "${type}" (expected ${SESSION_TYPES.join(', ')})`);
      const year = row.values.schoolYear ?? '';
      if (!/^\d{4}$/.test(year)) check.fail('schoolYear', `bad schoolYear "${year}" (expected a year such as 2026)`);
    }
  }

  const classIds = readCoursesAndClasses(files, issues, content, {
    knownOrg,
    orgRefusal,
    sessionIds: sessionsText === undefined ? null : sessionIds,
  });
  if (classIds && enrollmentsText !== undefined) {
    const table = readCsv('enrollments.csv', enrollmentsText, [], []);
    for (const row of table?.rows ?? []) {
      const klass = (row.values.classSourcedId ?? '').trim();
      if (klass && !classIds.has(klass))
        new LineChecker('enrollments.csv', row.line, issues).fail('classSourcedId', `unknown class "${klass}" (not in classes.csv)`);
    }
  }

  for (const row of usersTable?.rows ?? []) {
    content.rows++;
    const person = readUser(row.values, new LineChecker('users.csv', row.line, issues), ctx, {
      knownOrg,
      orgRefusal,
      departmentIds,
      firstEnrollmentYear,
      rolesByUser,
    });
    if (person) content.people.push({ ...person, file: 'users.csv', line: row.line });
  }
  return content;
}

function readUser(
  values: Record<string, string>,
  check: LineChecker,
  ctx: RosterContext,
  orgs: {
    knownOrg: (id: string) => boolean;
    orgRefusal: (id: string) => string;
    departmentIds: ReadonlySet<string>;
    firstEnrollmentYear: ReadonlyMap<string, number>;
    /** From roles.csv when it was uploaded (its lines were checked there). */
    rolesByUser: ReadonlyMap<string, RoleLine[]> | undefined;
  },
): Omit<DesiredPerson, 'file' | 'line'> | null {
  const before = check.issueCount();
  const sourcedId = check.sourcedId(values, 'sourcedId');
  const givenName = check.name(values, 'givenName');
  const familyName = check.name(values, 'familyName');
  const email = check.email(values, 'email');
  const fromRoles = orgs.rolesByUser && sourcedId ? (orgs.rolesByUser.get(sourcedId) ?? []) : undefined;
  const orgIds = (values.orgSourcedIds ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const id of orgIds) if (!orgs.knownOrg(id)) check.fail('orgSourcedIds', orgs.orgRefusal(id));
  let role: string | null;
  let roleNames: string[];
  if (fromRoles) {
    roleNames = [...new Set(fromRoles.map((r) => r.role))];
    role = roleNames.includes('student') ? 'student' : (roleNames[0] ?? null);
    if (!roleNames.length) check.fail('sourcedId', `no role for user "${sourcedId}" in roles.csv`);
    else if (roleNames.includes('student') && roleNames.length > 1)
      check.fail(
        'sourcedId',
        `user "${sourcedId}" has student and staff roles in roles.csv (${roleNames.join(', ')}): a person is one or the other`,
      );
  } else {
    role = orgs.rolesByUser ? null : check.required(values, 'role');
    roleNames = role ? [role] : [];
    if (!orgs.rolesByUser && !orgIds.length) check.fail('orgSourcedIds', 'orgSourcedIds is required');
  }
  const status = (values.status ?? '').trim();
  if (status && status !== 'active' && status !== 'tobedeleted')
    check.fail('status', `bad status "${status}" (expected active or tobedeleted)`);
  const enabled = (values.enabledUser ?? '').trim().toLowerCase();
  if (enabled && enabled !== 'true' && enabled !== 'false')
    check.fail('enabledUser', `bad enabledUser "${enabled}" (expected true or false)`);
  const active = status !== 'tobedeleted' && enabled !== 'false';

  let kind: DesiredPerson['kind'] | null = null;
  const roles: Role[] = [];
  let cohortYear: number | null = null;
  let priorClinicalYears: number | null = null;
  if (role === 'student') {
    if (ctx.institution.kind !== 'SCHOOL')
      check.fail('role', `bad role "student": ${ctx.institution.name} is a hospital; students are imported by their school`);
    kind = 'student';
    const declared = (values['metadata.cohortYear'] ?? '').trim();
    const fromEnrollment = sourcedId ? orgs.firstEnrollmentYear.get(sourcedId) : undefined;
    if (declared) cohortYear = check.cohortYear(declared, 'metadata.cohortYear', ctx.currentYear);
    else if (fromEnrollment !== undefined)
      cohortYear = check.cohortYear(String(fromEnrollment), 'enrollments.csv beginDate', ctx.currentYear);
    else check.fail('metadata.cohortYear', 'no cohort year: give metadata.cohortYear or a student enrollment with a beginDate');
    priorClinicalYears = check.priorClinicalYears(values['metadata.priorClinicalYears'], 'metadata.priorClinicalYears');
  } else if (role !== null) {
    for (const name of roleNames) {
      const mapped = STAFF_ROLE[name];
      if (!mapped)
        check.fail(
          'role',
          `bad role "${name}" (expected student, teacher, administrator, siteAdministrator, districtAdministrator, principal or counselor)`,
        );
      else if (!roles.includes(mapped(ctx.institution.kind))) roles.push(mapped(ctx.institution.kind));
    }
    if (roles.length) kind = 'staff';
  }
  const departmentOrgs = [...(fromRoles ?? []).map((r) => r.orgSourcedId), ...orgIds];
  if (check.issueCount() > before || !sourcedId || !givenName || !familyName || !email || !kind) return null;
  return {
    kind,
    sourcedId,
    givenName,
    familyName,
    email,
    cohortYear,
    priorClinicalYears,
    roles,
    departmentSourcedId: departmentOrgs.find((id) => orgs.departmentIds.has(id)) ?? null,
    active,
  };
}

/**
 * roles.csv: one line per user, role and org. Checked per line (duplicate id, unknown user,
 * bad roleType or role, unknown or another institution's org, bad dates); the roles of lines
 * without an issue and not `tobedeleted` are returned by user, primary ones first.
 */
function readRoles(
  text: string,
  issues: RosterIssue[],
  content: RosterContent,
  ctx: {
    knownOrg: (id: string) => boolean;
    orgRefusal: (id: string) => string;
    userIdsInFile: ReadonlySet<string>;
    mode: RosterSyncMode;
  },
): Map<string, RoleLine[]> {
  const byUser = new Map<string, RoleLine[]>();
  const table = readCsv('roles.csv', text, ['sourcedId', 'userSourcedId', 'roleType', 'role', 'orgSourcedId'], issues);
  const lines = new Map<string, number>();
  const known = new Set(['student', ...Object.keys(STAFF_ROLE)]);
  for (const row of table?.rows ?? []) {
    content.rows++;
    const check = new LineChecker('roles.csv', row.line, issues);
    const before = check.issueCount();
    const sourcedId = check.sourcedId(row.values, 'sourcedId');
    const user = check.required(row.values, 'userSourcedId');
    const roleType = check.required(row.values, 'roleType');
    const role = check.required(row.values, 'role');
    const org = check.required(row.values, 'orgSourcedId');
    if (sourcedId !== null) {
      if (lines.has(sourcedId)) check.fail('sourcedId', `duplicate id "${sourcedId}" (first on line ${lines.get(sourcedId)})`);
      else lines.set(sourcedId, row.line);
    }
    if (user !== null && !ctx.userIdsInFile.has(user)) check.fail('userSourcedId', `unknown user "${user}" (not in users.csv)`);
    if (roleType !== null && !ROLE_TYPES.includes(roleType))
      check.fail('roleType', `bad roleType "${roleType}" (expected primary or secondary)`);
    if (role !== null && !known.has(role)) check.fail('role', `bad role "${role}" (expected ${[...known].join(', ')})`);
    if (org !== null && !ctx.knownOrg(org)) check.fail('orgSourcedId', ctx.orgRefusal(org));
    for (const column of ['beginDate', 'endDate']) {
      const value = row.values[column];
      if (value && !isIsoDate(value)) check.fail(column, `bad date "${value}" (expected YYYY-MM-DD)`);
    }
    const { beginDate: begin, endDate: end } = row.values;
    if (begin && end && isIsoDate(begin) && isIsoDate(end) && end < begin) check.fail('endDate', 'endDate is before beginDate');
    const status = (row.values.status ?? '').trim();
    if (status && status !== 'active' && status !== 'tobedeleted')
      check.fail('status', `bad status "${status}" (expected active or tobedeleted)`);
    if (check.issueCount() > before || status === 'tobedeleted' || !user || !role || !org) continue;
    const list = byUser.get(user) ?? [];
    list.push({ role, orgSourcedId: org, primary: roleType === 'primary' });
    byUser.set(user, list);
  }
  for (const list of byUser.values()) list.sort((a, b) => Number(b.primary) - Number(a.primary));
  return byUser;
}

/**
 * courses.csv and classes.csv, checked and not kept (see the top of this file). Returns the
 * class ids when classes.csv was uploaded, so enrollments can be checked against them.
 */
function readCoursesAndClasses(
  files: ReadonlyMap<string, string>,
  issues: RosterIssue[],
  content: RosterContent,
  ctx: { knownOrg: (id: string) => boolean; orgRefusal: (id: string) => string; sessionIds: ReadonlySet<string> | null },
): Set<string> | null {
  const courseIds = new Set<string>();
  const coursesText = files.get('courses.csv');
  if (coursesText !== undefined) {
    const table = readCsv('courses.csv', coursesText, ['sourcedId', 'title', 'orgSourcedId'], issues);
    const lines = new Map<string, number>();
    for (const row of table?.rows ?? []) {
      content.rows++;
      const check = new LineChecker('courses.csv', row.line, issues);
      const id = check.sourcedId(row.values, 'sourcedId');
      check.required(row.values, 'title');
      const org = check.required(row.values, 'orgSourcedId');
      if (org !== null && !ctx.knownOrg(org)) check.fail('orgSourcedId', ctx.orgRefusal(org));
      if (id === null) continue;
      if (lines.has(id)) check.fail('sourcedId', `duplicate id "${id}" (first on line ${lines.get(id)})`);
      else lines.set(id, row.line);
      courseIds.add(id);
    }
  }
  const classesText = files.get('classes.csv');
  if (classesText === undefined) return null;
  const classIds = new Set<string>();
  const table = readCsv(
    'classes.csv',
    classesText,
    ['sourcedId', 'title', 'courseSourcedId', 'classType', 'schoolSourcedId', 'termSourcedIds'],
    issues,
  );
  const lines = new Map<string, number>();
  for (const row of table?.rows ?? []) {
    content.rows++;
    const check = new LineChecker('classes.csv', row.line, issues);
    const id = check.sourcedId(row.values, 'sourcedId');
    check.required(row.values, 'title');
    const course = check.required(row.values, 'courseSourcedId');
    const classType = check.required(row.values, 'classType');
    const school = check.required(row.values, 'schoolSourcedId');
    if (course !== null && coursesText !== undefined && !courseIds.has(course))
      check.fail('courseSourcedId', `unknown course "${course}" (not in courses.csv)`);
    if (classType !== null && !CLASS_TYPES.includes(classType))
      check.fail('classType', `bad classType "${classType}" (expected homeroom or scheduled)`);
    if (school !== null && !ctx.knownOrg(school)) check.fail('schoolSourcedId', ctx.orgRefusal(school));
    const terms = (row.values.termSourcedIds ?? '')
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean);
    if (!terms.length) check.fail('termSourcedIds', 'termSourcedIds is required');
    if (ctx.sessionIds)
      for (const term of terms)
        if (!ctx.sessionIds.has(term)) check.fail('termSourcedIds', `unknown term "${term}" (not in academicSessions.csv)`);
    if (id === null) continue;
    if (lines.has(id)) check.fail('sourcedId', `duplicate id "${id}" (first on line ${lines.get(id)})`);
    else lines.set(id, row.line);
    classIds.add(id);
  }
  return classIds;
}
