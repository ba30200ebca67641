import { randomUUID } from 'node:crypto';
import { BadUserInputError } from '@medcollab/kit';
import { type EntityManager, In } from 'typeorm';
import { type AddObjectiveInput, type AddSessionInput } from '../domain/validation/programs';
import { LearningObjective, ObjectiveCompetency, SessionObjective, TeachingSession } from '../entities';
import { unknownCompetencyIds } from './frameworks';
import { lockProgram, requireModule } from './programs';
import { publishProgram } from './published-events';
import { type EventMeta } from '../outbox';
import { type CreateOptions } from './transaction';

async function nextPosition(em: EntityManager, table: string, moduleId: string): Promise<number> {
  const [row] = (await em.query(`SELECT COALESCE(MAX(position), 0) + 1 AS next FROM ${table} WHERE module_id = $1`, [moduleId])) as {
    next: number;
  }[];
  return row?.next ?? 1;
}

type Options = CreateOptions & { meta?: EventMeta };

/**
 * Adds a learning objective mapped to existing competencies (an unknown one is BAD_USER_INPUT
 * naming it), and republishes the program's content (ProgramPublished).
 */
export async function addLearningObjective(em: EntityManager, input: AddObjectiveInput, opts: Options = {}): Promise<LearningObjective> {
  const module = await requireModule(em, input.moduleId);
  await lockProgram(em, module.programId);
  const unknown = await unknownCompetencyIds(em, input.competencyIds);
  if (unknown.length) {
    throw new BadUserInputError(`Unknown competency: ${unknown.join(', ')}`, { field: 'competencyIds', unknownCompetencyIds: unknown });
  }
  const objective = em.getRepository(LearningObjective).create({
    id: opts.id ?? randomUUID(),
    moduleId: module.id,
    statement: input.statement,
    position: await nextPosition(em, 'learning_objective', module.id),
  });
  await em.getRepository(LearningObjective).insert(objective);
  if (input.competencyIds.length) {
    await em
      .getRepository(ObjectiveCompetency)
      .insert(input.competencyIds.map((competencyId) => ({ objectiveId: objective.id, competencyId })));
  }
  await publishProgram(em, module.programId, opts.meta);
  return objective;
}

/** Adds a teaching session serving objectives of its own module, and republishes the program's content. */
export async function addTeachingSession(em: EntityManager, input: AddSessionInput, opts: Options = {}): Promise<TeachingSession> {
  const module = await requireModule(em, input.moduleId);
  await lockProgram(em, module.programId);
  if (input.objectiveIds.length) {
    const found = await em.getRepository(LearningObjective).findBy({ id: In(input.objectiveIds), moduleId: module.id });
    const known = new Set(found.map((o) => o.id));
    const unknown = input.objectiveIds.filter((id) => !known.has(id));
    if (unknown.length) {
      throw new BadUserInputError(`Not an objective of this module: ${unknown.join(', ')}`, {
        field: 'objectiveIds',
        unknownObjectiveIds: unknown,
      });
    }
  }
  const session = em.getRepository(TeachingSession).create({
    id: opts.id ?? randomUUID(),
    moduleId: module.id,
    title: input.title,
    method: input.method,
    delivery: input.delivery,
    startsAt: input.startsAt,
    durationMinutes: input.durationMinutes,
    position: await nextPosition(em, 'teaching_session', module.id),
  });
  await em.getRepository(TeachingSession).insert(session);
  if (input.objectiveIds.length) {
    await em.getRepository(SessionObjective).insert(input.objectiveIds.map((objectiveId) => ({ sessionId: session.id, objectiveId })));
  }
  await publishProgram(em, module.programId, opts.meta);
  return session;
}
