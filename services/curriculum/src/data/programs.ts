import { randomUUID } from 'node:crypto';
import { BadUserInputError, ConflictError, NotFoundError } from '@medcollab/kit';
import { type DataSource, type EntityManager, In } from 'typeorm';
import { findCycle } from '../domain/graph';
import {
  type AddModuleInput,
  type CreateProgramInput,
  type CreateTrackInput,
  type SetPrerequisitesInput,
} from '../domain/validation/programs';
import { CurriculumModule, ModuleDiscipline, ModulePrerequisite, Program, Track } from '../entities';
import { isKnownHospital } from './projections';
import { type CreateOptions, lockKey } from './transaction';

/**
 * Programs, their modules (with discipline hours and prerequisites) and tracks. Every write
 * runs in the caller's transaction and takes a lock on its program, so codes, positions and
 * the prerequisite graph are checked against a state no one else changes meanwhile.
 */

export async function createProgram(em: EntityManager, input: CreateProgramInput, opts: CreateOptions = {}): Promise<Program> {
  // The curriculum knows an institution's kind only from agreements: one named as a hospital is refused.
  if (await isKnownHospital(em, input.schoolId)) {
    throw new BadUserInputError('schoolId names a hospital; programs belong to schools', { field: 'schoolId' });
  }
  await lockKey(em, 'school-programs', input.schoolId);
  const taken = await em
    .getRepository(Program)
    .createQueryBuilder('p')
    .where('p.school_id = :schoolId AND lower(p.title) = lower(:title)', input)
    .getExists();
  if (taken) throw new ConflictError(`This school already has a program titled "${input.title}"`, { field: 'title' });
  const program = em.getRepository(Program).create({ id: opts.id ?? randomUUID(), ...input });
  await em.getRepository(Program).insert(program);
  return program;
}

/** The program, locked for the rest of the transaction, or NOT_FOUND. */
export async function lockProgram(em: EntityManager, id: string): Promise<Program> {
  await lockKey(em, 'program', id);
  const program = await em.getRepository(Program).findOneBy({ id });
  if (!program) throw new NotFoundError('Program', id);
  return program;
}

export async function requireModule(em: EntityManager, id: string, field = 'moduleId'): Promise<CurriculumModule> {
  const module = await em.getRepository(CurriculumModule).findOneBy({ id });
  if (!module) throw new NotFoundError(`Module (${field})`, id);
  return module;
}

/** Every listed id must be a module of `programId`; BAD_USER_INPUT names the others. */
async function requireModulesOfProgram(em: EntityManager, programId: string, ids: readonly string[]): Promise<CurriculumModule[]> {
  if (!ids.length) return [];
  const found = await em.getRepository(CurriculumModule).findBy({ id: In([...ids]), programId });
  const known = new Set(found.map((m) => m.id));
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length) {
    throw new BadUserInputError(`Unknown prerequisite module (not a module of this program): ${unknown.join(', ')}`, {
      field: 'prerequisiteModuleIds',
      unknownModuleIds: unknown,
    });
  }
  return found;
}

async function nextPosition(em: EntityManager, table: string, column: string, parentId: string): Promise<number> {
  const [row] = (await em.query(`SELECT COALESCE(MAX(position), 0) + 1 AS next FROM ${table} WHERE ${column} = $1`, [parentId])) as {
    next: number;
  }[];
  return row?.next ?? 1;
}

/** Adds a module with its discipline hours and prerequisites (a new module cannot close a cycle). */
export async function addModule(em: EntityManager, input: AddModuleInput, opts: CreateOptions = {}): Promise<CurriculumModule> {
  await lockProgram(em, input.programId);
  const duplicate = await em
    .getRepository(CurriculumModule)
    .createQueryBuilder('m')
    .where('m.program_id = :programId AND lower(m.code) = lower(:code)', input)
    .getExists();
  if (duplicate) throw new ConflictError(`This program already has a module with code "${input.code}"`, { field: 'code' });
  await requireModulesOfProgram(em, input.programId, input.prerequisiteModuleIds);

  const module = em.getRepository(CurriculumModule).create({
    id: opts.id ?? randomUUID(),
    programId: input.programId,
    code: input.code,
    title: input.title,
    organSystem: input.organSystem,
    year: input.year,
    position: await nextPosition(em, 'curriculum_module', 'program_id', input.programId),
  });
  await em.getRepository(CurriculumModule).insert(module);
  if (input.disciplines.length) {
    await em
      .getRepository(ModuleDiscipline)
      .insert(input.disciplines.map((d, i) => ({ moduleId: module.id, discipline: d.discipline, hours: d.hours, position: i + 1 })));
  }
  if (input.prerequisiteModuleIds.length) {
    await em
      .getRepository(ModulePrerequisite)
      .insert(input.prerequisiteModuleIds.map((prerequisiteId) => ({ moduleId: module.id, prerequisiteId })));
  }
  return module;
}

/**
 * Replaces a module's prerequisites. Unknown modules (or modules of another program) and any
 * cycle the new edges would close are refused with BAD_USER_INPUT; the cycle is named by codes.
 */
export async function setModulePrerequisites(em: EntityManager, input: SetPrerequisitesInput): Promise<CurriculumModule> {
  const module = await requireModule(em, input.moduleId);
  await lockProgram(em, module.programId);
  await requireModulesOfProgram(
    em,
    module.programId,
    input.prerequisiteModuleIds.filter((id) => id !== module.id),
  );

  const modules = await em.getRepository(CurriculumModule).findBy({ programId: module.programId });
  const edges = (await em.query(
    `SELECT p.module_id, p.prerequisite_id FROM module_prerequisite p JOIN curriculum_module m ON m.id = p.module_id WHERE m.program_id = $1`,
    [module.programId],
  )) as { module_id: string; prerequisite_id: string }[];
  const graph = new Map<string, string[]>(modules.map((m) => [m.id, []]));
  for (const e of edges) if (e.module_id !== module.id) graph.get(e.module_id)?.push(e.prerequisite_id);
  graph.set(module.id, [...input.prerequisiteModuleIds]);
  const cycle = findCycle(graph);
  if (cycle) {
    const codes = new Map(modules.map((m) => [m.id, m.code]));
    const named = cycle.map((id) => codes.get(id) ?? id);
    throw new BadUserInputError(`These prerequisites would form a cycle: ${named.join(' → ')}`, {
      field: 'prerequisiteModuleIds',
      cycle: named,
      cycleModuleIds: cycle,
    });
  }
  await em.getRepository(ModulePrerequisite).delete({ moduleId: module.id });
  if (input.prerequisiteModuleIds.length) {
    await em
      .getRepository(ModulePrerequisite)
      .insert(input.prerequisiteModuleIds.map((prerequisiteId) => ({ moduleId: module.id, prerequisiteId })));
  }
  return module;
}

export async function createTrack(em: EntityManager, input: CreateTrackInput, opts: CreateOptions = {}): Promise<Track> {
  await lockProgram(em, input.programId);
  const taken = await em
    .getRepository(Track)
    .createQueryBuilder('t')
    .where('t.program_id = :programId AND lower(t.title) = lower(:title)', input)
    .getExists();
  if (taken) throw new ConflictError(`This program already has a track titled "${input.title}"`, { field: 'title' });
  const track = em.getRepository(Track).create({ id: opts.id ?? randomUUID(), ...input });
  await em.getRepository(Track).insert(track);
  return track;
}

/** Programs of the given schools (null: all), by title. */
export function listPrograms(ds: DataSource, schoolIds: readonly string[] | null): Promise<Program[]> {
  if (schoolIds && !schoolIds.length) return Promise.resolve([]);
  return ds.getRepository(Program).find({ where: schoolIds ? { schoolId: In([...schoolIds]) } : {}, order: { title: 'ASC', id: 'ASC' } });
}
