import { ROLES, type Role } from '@medcollab/kit';
import { SYNCABLE_ROLES } from '../domain/lifecycle';
import { readCsv } from './csv';
import { type DesiredPerson, type RosterContent, type RosterContext, type RosterIssue } from './model';
import { LineChecker } from './people-rules';

/**
 * MedCollab's plain CSV (docs/integration.md): `people.csv` with the columns
 * kind (student | staff), sourcedId, givenName, familyName, email, cohortYear (students),
 * priorClinicalYears (students, optional), roles (staff: MedCollab roles separated by `;`),
 * departmentSourcedId (optional), status (active | inactive, optional, default active);
 * and optionally `departments.csv` with sourcedId, name.
 */
export function readPlainCsv(files: ReadonlyMap<string, string>, ctx: RosterContext): RosterContent {
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
  const departmentIds = new Set<string>();
  const departmentsText = files.get('departments.csv');
  if (departmentsText !== undefined) {
    const table = readCsv('departments.csv', departmentsText, ['sourcedId', 'name'], issues);
    for (const row of table?.rows ?? []) {
      content.rows++;
      const check = new LineChecker('departments.csv', row.line, issues);
      const sourcedId = check.sourcedId(row.values, 'sourcedId');
      const name = check.required(row.values, 'name');
      if (sourcedId === null || name === null) continue;
      if (departmentIds.has(sourcedId)) {
        check.fail('sourcedId', `duplicate id "${sourcedId}"`);
        continue;
      }
      if (name.length < 2 || name.length > 200) {
        check.fail('name', 'name must be 2 to 200 characters');
        continue;
      }
      departmentIds.add(sourcedId);
      content.departments.push({ sourcedId, name, file: 'departments.csv', line: row.line });
    }
  }
  const table = readCsv('people.csv', files.get('people.csv') ?? '', ['kind', 'sourcedId', 'givenName', 'familyName', 'email'], issues);
  for (const row of table?.rows ?? []) {
    content.rows++;
    const check = new LineChecker('people.csv', row.line, issues);
    const before = check.issueCount();
    const v = row.values;
    if (v.sourcedId?.trim()) content.mentioned.add(v.sourcedId.trim());
    const kind = check.required(v, 'kind');
    const sourcedId = check.sourcedId(v, 'sourcedId');
    const givenName = check.name(v, 'givenName');
    const familyName = check.name(v, 'familyName');
    const email = check.email(v, 'email');
    const status = (v.status ?? '').trim() || 'active';
    if (status !== 'active' && status !== 'inactive') check.fail('status', `bad status "${status}" (expected active or inactive)`);
    const departmentSourcedId = (v.departmentSourcedId ?? '').trim() || null;
    if (departmentSourcedId && ctx.foreignOrgs.has(departmentSourcedId)) {
      content.namesOtherInstitutions = true;
      check.fail(
        'departmentSourcedId',
        `org "${departmentSourcedId}" is ${ctx.foreignOrgs.get(departmentSourcedId)}'s: ${ctx.institution.name} imports only its own people`,
      );
    }
    let cohortYear: number | null = null;
    let priorClinicalYears: number | null = null;
    let roles: Role[] = [];
    if (kind === 'student') {
      if (ctx.institution.kind !== 'SCHOOL') check.fail('kind', `bad role "student": ${ctx.institution.name} is a hospital`);
      const year = check.required(v, 'cohortYear');
      if (year !== null) cohortYear = check.cohortYear(year, 'cohortYear', ctx.currentYear);
      priorClinicalYears = check.priorClinicalYears(v.priorClinicalYears, 'priorClinicalYears');
    } else if (kind === 'staff') {
      const names = (v.roles ?? '')
        .split(';')
        .map((r) => r.trim())
        .filter(Boolean);
      if (!names.length) check.fail('roles', 'roles is required for staff');
      for (const name of names) {
        if (!(ROLES as readonly string[]).includes(name)) check.fail('roles', `bad role "${name}"`);
        else if (!SYNCABLE_ROLES.includes(name as Role))
          check.fail('roles', `role ${name} is not given by imports (only ${SYNCABLE_ROLES.join(', ')}); give it by hand`);
      }
      roles = [...new Set(names)] as Role[];
    } else if (kind !== null) check.fail('kind', `bad kind "${kind}" (expected student or staff)`);
    if (check.issueCount() > before || !sourcedId || !givenName || !familyName || !email || (kind !== 'student' && kind !== 'staff'))
      continue;
    content.people.push({
      kind,
      sourcedId,
      givenName,
      familyName,
      email,
      cohortYear,
      priorClinicalYears,
      roles,
      departmentSourcedId,
      active: status === 'active',
      file: 'people.csv',
      line: row.line,
    } satisfies DesiredPerson);
  }
  return content;
}
