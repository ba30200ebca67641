import { type Role } from '@medcollab/kit';
import { changedFields, SYNCABLE_ROLES } from '../domain/lifecycle';
import { type PersonStatus } from '../domain/model';
import { type DesiredPerson, type RosterContent, type RosterIssue, type RosterSyncMode } from './model';

/**
 * Compares what the files ask for with what the institution has, and lists the changes:
 * upserts keyed by sourcedId (a record without one is adopted when its email or department
 * name matches), deactivations for a full sync, and the issues only the stored data reveals.
 * Pure: the store loads `Existing` and applies the `RosterOp`s.
 */

export interface ExistingDepartment {
  id: string;
  sourcedId: string | null;
  name: string;
}
export interface ExistingPerson {
  kind: 'student' | 'staff';
  id: string;
  sourcedId: string | null;
  givenName: string;
  familyName: string;
  email: string;
  cohortYear: number | null;
  priorClinicalYears: number | null;
  roles: Role[];
  departmentId: string | null;
  status: PersonStatus;
}
export interface Existing {
  departments: ExistingDepartment[];
  /** The institution's people. */
  people: ExistingPerson[];
  /** People elsewhere in the network holding one of the files' emails: lower(email) → "Name (Institution)". */
  foreignEmails: ReadonlyMap<string, string>;
}

interface At {
  file: string;
  line: number;
}
export type RosterOp =
  | ({ type: 'createDepartment'; sourcedId: string; name: string } & At)
  | ({ type: 'updateDepartment'; id: string; sourcedId: string; name: string } & At)
  | ({ type: 'createPerson'; person: DesiredPerson } & At)
  | ({ type: 'updatePerson'; kind: 'student' | 'staff'; id: string; patch: PersonPatch } & At)
  | ({ type: 'setStatus'; kind: 'student' | 'staff'; id: string; status: PersonStatus; reason: string } & At);

export interface PersonPatch {
  givenName?: string;
  familyName?: string;
  email?: string;
  cohortYear?: number;
  priorClinicalYears?: number;
  sourcedId?: string;
  roles?: Role[];
  /** Resolved to a department id when applied (the department may be created by the same import). */
  departmentSourcedId?: string | null;
}

export interface RosterPlan {
  institutionSourcedId: string | null;
  ops: RosterOp[];
  unchanged: number;
  issues: RosterIssue[];
}

const fullName = (p: { givenName: string; familyName: string }) => `${p.givenName} ${p.familyName}`;

export function planRoster(content: RosterContent, existing: Existing, mode: RosterSyncMode, importLabel: string): RosterPlan {
  const issues: RosterIssue[] = [];
  const ops: RosterOp[] = [];
  let unchanged = 0;

  // Departments: by sourcedId, else the same name without a sourcedId (adopted).
  const deptBySourced = new Map(existing.departments.filter((d) => d.sourcedId).map((d) => [d.sourcedId as string, d]));
  const deptByName = new Map(existing.departments.filter((d) => !d.sourcedId).map((d) => [d.name.toLowerCase(), d]));
  const departmentIdOf = new Map<string, string | null>(); // sourcedId → id (null: created by this import)
  for (const d of existing.departments) if (d.sourcedId) departmentIdOf.set(d.sourcedId, d.id);
  for (const d of content.departments) {
    const match = deptBySourced.get(d.sourcedId) ?? deptByName.get(d.name.toLowerCase());
    const clash = existing.departments.find((x) => x !== match && x.name.toLowerCase() === d.name.toLowerCase());
    if (clash) {
      issues.push({
        file: d.file,
        line: d.line,
        column: 'name',
        message: `department name "${d.name}" is already used by another department`,
      });
      continue;
    }
    if (!match) {
      ops.push({ type: 'createDepartment', sourcedId: d.sourcedId, name: d.name, file: d.file, line: d.line });
      departmentIdOf.set(d.sourcedId, null);
    } else {
      departmentIdOf.set(d.sourcedId, match.id);
      if (match.name !== d.name || match.sourcedId !== d.sourcedId)
        ops.push({ type: 'updateDepartment', id: match.id, sourcedId: d.sourcedId, name: d.name, file: d.file, line: d.line });
      else unchanged++;
    }
  }

  const bySourced = new Map(existing.people.filter((p) => p.sourcedId).map((p) => [p.sourcedId as string, p]));
  const byEmail = new Map(existing.people.map((p) => [p.email.toLowerCase(), p]));
  const seenIds = new Map<string, number>();
  const seenEmails = new Map<string, number>();
  const claimed = new Set<ExistingPerson>();
  for (const person of content.people) {
    const issue = (column: string | null, message: string) => issues.push({ file: person.file, line: person.line, column, message });
    if (seenIds.has(person.sourcedId)) {
      issue('sourcedId', `duplicate id "${person.sourcedId}" (first on line ${seenIds.get(person.sourcedId)})`);
      continue;
    }
    seenIds.set(person.sourcedId, person.line);
    if (seenEmails.has(person.email)) {
      issue('email', `duplicate email ${person.email} (first on line ${seenEmails.get(person.email)})`);
      continue;
    }
    seenEmails.set(person.email, person.line);
    if (person.departmentSourcedId && !departmentIdOf.has(person.departmentSourcedId)) {
      issue('departmentSourcedId', `unknown org "${person.departmentSourcedId}" (no such department)`);
      continue;
    }
    const adoptable = byEmail.get(person.email);
    const match = bySourced.get(person.sourcedId) ?? (adoptable && !adoptable.sourcedId ? adoptable : undefined);
    const foreign = existing.foreignEmails.get(person.email);
    const emailHolder = byEmail.get(person.email);
    if (foreign || (emailHolder && emailHolder !== match)) {
      issue(
        'email',
        `email ${person.email} already belongs to ${foreign ?? `${fullName(emailHolder!)} (another person of this institution)`}`,
      );
      continue;
    }
    if (!match) {
      // A delta's tobedeleted row for someone never imported has nothing to change.
      if (person.active) ops.push({ type: 'createPerson', person, file: person.file, line: person.line });
      else unchanged++;
      continue;
    }
    if (match.kind !== person.kind) {
      issue(
        'sourcedId',
        `"${person.sourcedId}" is ${fullName(match)}, a ${match.kind === 'staff' ? 'staff member' : 'student'}: a person cannot change kind`,
      );
      continue;
    }
    claimed.add(match);
    const patch = personPatch(match, person, departmentIdOf);
    const statusChange = (person.active ? 'ACTIVE' : 'INACTIVE') !== match.status;
    if (match.kind === 'staff' && (Object.keys(patch).length || statusChange) && !match.roles.every((r) => SYNCABLE_ROLES.includes(r))) {
      issue(null, `${fullName(match)} holds ${match.roles.join(', ')}: change admins by hand, not by import`);
      continue;
    }
    if (Object.keys(patch).length)
      ops.push({ type: 'updatePerson', kind: match.kind, id: match.id, patch, file: person.file, line: person.line });
    if (statusChange)
      ops.push({
        type: 'setStatus',
        kind: match.kind,
        id: match.id,
        status: person.active ? 'ACTIVE' : 'INACTIVE',
        reason: person.active ? `Active again in ${importLabel}` : `Marked inactive in ${importLabel}`,
        file: person.file,
        line: person.line,
      });
    if (!Object.keys(patch).length && !statusChange) unchanged++;
  }

  if (mode === 'FULL') {
    for (const p of existing.people) {
      if (!p.sourcedId || p.status !== 'ACTIVE' || claimed.has(p) || content.mentioned.has(p.sourcedId)) continue;
      if (p.kind === 'staff' && !p.roles.every((r) => SYNCABLE_ROLES.includes(r))) continue; // admins are managed by hand
      ops.push({
        type: 'setStatus',
        kind: p.kind,
        id: p.id,
        status: 'INACTIVE',
        reason: `Missing from full roster sync ${importLabel}`,
        file: '',
        line: 0,
      });
    }
  }
  return { institutionSourcedId: content.institutionSourcedId, ops, unchanged, issues };
}

function personPatch(current: ExistingPerson, desired: DesiredPerson, departmentIdOf: ReadonlyMap<string, string | null>): PersonPatch {
  const next: PersonPatch = {
    givenName: desired.givenName,
    familyName: desired.familyName,
    email: desired.email,
    sourcedId: desired.sourcedId,
  };
  if (desired.kind === 'student') {
    next.cohortYear = desired.cohortYear ?? undefined;
    next.priorClinicalYears = desired.priorClinicalYears ?? undefined;
  } else next.roles = desired.roles;
  const patch: PersonPatch = {};
  for (const key of changedFields(current as unknown as PersonPatch, next)) Object.assign(patch, { [key]: next[key] });
  if (desired.kind === 'staff') {
    const wanted = desired.departmentSourcedId ? departmentIdOf.get(desired.departmentSourcedId) : null;
    if (wanted === null && desired.departmentSourcedId)
      patch.departmentSourcedId = desired.departmentSourcedId; // created by this import
    else if ((wanted ?? null) !== current.departmentId) patch.departmentSourcedId = desired.departmentSourcedId;
  }
  return patch;
}
