import { randomUUID } from 'node:crypto';
import { type Actor } from '@medcollab/kit';
import { networkAdmin } from './actors';
import { type CurriculumHarness, ok } from './harness';

/** The mutations the tests send, with the fields they read back. */
export const M = {
  createFramework: `mutation($input: CreateCompetencyFrameworkInput!) { createCompetencyFramework(input: $input) { id name version owner { id } competencies { id code title domain category parent { code } } } }`,
  addCompetency: `mutation($input: AddCompetencyInput!) { addCompetency(input: $input) { id code parent { id } framework { id } } }`,
  createPostProfile: `mutation($input: CreatePostProfileInput!) { createPostProfile(input: $input) { id title specialty scale { name min max } requirements { level competency { id code } } } }`,
  createProgram: `mutation($input: CreateProgramInput!) { createProgram(input: $input) { id title school { id } } }`,
  addModule: `mutation($input: AddModuleInput!) { addModule(input: $input) { id code year organSystem totalHours disciplines { discipline hours } prerequisites { id } } }`,
  setPrerequisites: `mutation($input: SetModulePrerequisitesInput!) { setModulePrerequisites(input: $input) { id prerequisites { id code } } }`,
  addObjective: `mutation($input: AddLearningObjectiveInput!) { addLearningObjective(input: $input) { id statement competencies { id } module { id } } }`,
  addSession: `mutation($input: AddTeachingSessionInput!) { addTeachingSession(input: $input) { id title method delivery startsAt durationMinutes objectives { id } } }`,
  createTrack: `mutation($input: CreateTrackInput!) { createTrack(input: $input) { id kind title specialty } }`,
  enrollStudent: `mutation($input: EnrollStudentInput!) { enrollStudent(input: $input) { id status track { id kind } student { id } program { id } trackHistory { from { id } to { id } changedById reason } } }`,
  changeTrack: `mutation($input: ChangeTrackInput!) { changeTrack(input: $input) { id track { id } trackHistory { from { id } to { id } changedById changedAt reason } } }`,
  withdrawStudent: `mutation($input: WithdrawStudentInput!) { withdrawStudent(input: $input) { id status withdrawnAt } }`,
  recordCompletion: `mutation($input: RecordModuleCompletionInput!) { recordModuleCompletion(input: $input) { status completedOn module { id code } } }`,
};

export interface Ref {
  id: string;
}

let unique = 0;
/** A suffix that keeps names and codes unique within a test database. */
export const uniq = (): string => `${process.pid}-${++unique}`;

export const newInstitutionId = (): string => randomUUID();

/** A small framework: one TECHNICAL root with two children, one NON_TECHNICAL root. */
export async function createFramework(h: CurriculumHarness, actor: Actor = networkAdmin(), overrides: Record<string, unknown> = {}) {
  const input = {
    name: `Framework ${uniq()}`,
    version: '1.0',
    competencies: [
      { code: 'MK', title: 'Medical knowledge', domain: 'TECHNICAL', category: 'medical knowledge' },
      {
        code: 'MK-1',
        title: 'Apply basic science to clinical problems',
        domain: 'TECHNICAL',
        category: 'medical knowledge',
        parentCode: 'MK',
      },
      { code: 'MK-2', title: 'Interpret investigations', domain: 'TECHNICAL', category: 'medical knowledge', parentCode: 'MK' },
      { code: 'TW', title: 'Work in an interprofessional team', domain: 'NON_TECHNICAL', category: 'teamwork' },
    ],
    ...overrides,
  };
  const { createCompetencyFramework: f } = ok(
    await h.call<{ createCompetencyFramework: { id: string; competencies: { id: string; code: string }[] } }>(actor, M.createFramework, {
      input,
    }),
  );
  const byCode = Object.fromEntries(f.competencies.map((c) => [c.code, c.id])) as Record<string, string>;
  return { id: f.id, byCode };
}

export async function createProgram(h: CurriculumHarness, schoolId: string, actor: Actor = networkAdmin()): Promise<Ref> {
  return ok(await h.call<{ createProgram: Ref }>(actor, M.createProgram, { input: { schoolId, title: `Program ${uniq()}` } }))
    .createProgram;
}

export async function addModule(
  h: CurriculumHarness,
  programId: string,
  overrides: Record<string, unknown> = {},
  actor: Actor = networkAdmin(),
): Promise<Ref> {
  const input = {
    programId,
    code: `M-${uniq()}`,
    title: 'Cardiovascular system',
    organSystem: 'CARDIOVASCULAR',
    year: 1,
    disciplines: [{ discipline: 'PHYSIOLOGY', hours: 20 }],
    ...overrides,
  };
  return ok(await h.call<{ addModule: Ref }>(actor, M.addModule, { input })).addModule;
}

export async function addObjective(
  h: CurriculumHarness,
  moduleId: string,
  competencyIds: string[],
  actor: Actor = networkAdmin(),
): Promise<Ref> {
  const input = { moduleId, statement: `Objective ${uniq()}`, competencyIds };
  return ok(await h.call<{ addLearningObjective: Ref }>(actor, M.addObjective, { input })).addLearningObjective;
}

export async function addSession(
  h: CurriculumHarness,
  moduleId: string,
  overrides: Record<string, unknown> = {},
  actor: Actor = networkAdmin(),
): Promise<Ref> {
  const input = { moduleId, title: `Session ${uniq()}`, method: 'LECTURE', delivery: 'OFFLINE', durationMinutes: 60, ...overrides };
  return ok(await h.call<{ addTeachingSession: Ref }>(actor, M.addSession, { input })).addTeachingSession;
}

export async function createTrack(
  h: CurriculumHarness,
  programId: string,
  kind: string,
  overrides: Record<string, unknown> = {},
): Promise<Ref> {
  const input = { programId, kind, title: `${kind} track ${uniq()}`, ...overrides };
  return ok(await h.call<{ createTrack: Ref }>(networkAdmin(), M.createTrack, { input })).createTrack;
}
