import { randomUUID } from 'node:crypto';
import { DevelopmentGoalChanged } from '@medcollab/events';
import { NotFoundError, toIsoDate } from '@medcollab/kit';
import { type EntityManager } from 'typeorm';
import { checkGoalEditable, checkGoalStatusChange, gapGoalTitle } from '../domain/goal-rules';
import { type CreateGoalFromGapInput, type SetDevelopmentGoalInput, type UpdateDevelopmentGoalInput } from '../domain/validation';
import { DevelopmentGoal, KnownStudent } from '../entities';
import { type EventMeta, outbox } from '../outbox';

/**
 * Development goal commands. A goal the student sets is theirs at once; a mentor's is a
 * proposal (`acceptedAt` null) until the student accepts it.
 */

export type Authorship = { kind: 'own' } | { kind: 'proposal'; mentorId: string };

/**
 * Appends DevelopmentGoalChanged with the goal's state as this transaction leaves it. Every goal
 * command calls it, so quality's goal rollups follow every change.
 */
async function recordGoalChanged(em: EntityManager, goal: DevelopmentGoal, meta: EventMeta): Promise<void> {
  const student = await em.getRepository(KnownStudent).findOneBy({ id: goal.studentId });
  await outbox.append(
    em,
    DevelopmentGoalChanged,
    goal.id,
    {
      goalId: goal.id,
      studentId: goal.studentId,
      schoolId: student?.schoolId ?? null,
      status: goal.status,
      pendingAcceptance: goal.acceptedAt === null,
      proposedByMentor: goal.proposedById !== null,
      competencyId: goal.competencyId,
      setOn: toIsoDate(goal.createdAt),
      updatedAt: goal.updatedAt.toISOString(),
    },
    meta,
  );
}

type NewGoal = Pick<DevelopmentGoal, 'studentId' | 'title' | 'description' | 'competencyId' | 'targetDate' | 'evidence'> &
  Partial<Pick<DevelopmentGoal, 'requiredLevel' | 'currentLevel'>>;

async function insertGoal(em: EntityManager, goal: NewGoal, by: Authorship, meta: EventMeta): Promise<DevelopmentGoal> {
  const now = new Date();
  const repo = em.getRepository(DevelopmentGoal);
  const saved = await repo.save(
    repo.create({
      requiredLevel: null,
      currentLevel: null,
      ...goal,
      id: randomUUID(),
      status: 'OPEN',
      proposedById: by.kind === 'proposal' ? by.mentorId : null,
      acceptedAt: by.kind === 'own' ? now : null,
      createdAt: now,
      updatedAt: now,
    }),
  );
  await recordGoalChanged(em, saved, meta);
  return saved;
}

export function setDevelopmentGoal(
  em: EntityManager,
  input: SetDevelopmentGoalInput,
  by: Authorship,
  meta: EventMeta,
): Promise<DevelopmentGoal> {
  return insertGoal(em, input, by, meta);
}

export function createGoalFromGap(
  em: EntityManager,
  input: CreateGoalFromGapInput,
  by: Authorship,
  meta: EventMeta,
): Promise<DevelopmentGoal> {
  return insertGoal(
    em,
    {
      studentId: input.studentId,
      title: gapGoalTitle(input.requiredLevel, input.currentLevel),
      description: 'Created from a readiness gap against a post profile.',
      competencyId: input.competencyId,
      targetDate: input.targetDate,
      evidence: [],
      requiredLevel: input.requiredLevel,
      currentLevel: input.currentLevel,
    },
    by,
    meta,
  );
}

/** Applies the fields given (undefined = unchanged), checking the status rules on the result. */
export async function updateDevelopmentGoal(
  em: EntityManager,
  input: UpdateDevelopmentGoalInput,
  byStudent: boolean,
  meta: EventMeta,
): Promise<DevelopmentGoal> {
  const repo = em.getRepository(DevelopmentGoal);
  const goal = await repo.findOne({ where: { id: input.id }, lock: { mode: 'pessimistic_write' } });
  if (!goal) throw new NotFoundError('Development goal', input.id);
  checkGoalEditable(goal);
  const accepting = input.accept === true && byStudent && goal.acceptedAt === null;
  const evidence = input.evidence ?? goal.evidence;
  if (input.status) {
    checkGoalStatusChange(
      { status: goal.status, evidence, pendingAcceptance: goal.acceptedAt === null && !accepting },
      input.status,
      evidence,
    );
  }
  const now = new Date();
  const next: DevelopmentGoal = {
    ...goal,
    title: input.title ?? goal.title,
    description: input.description === undefined ? goal.description : input.description || null,
    competencyId: input.competencyId === undefined ? goal.competencyId : input.competencyId,
    targetDate: input.targetDate === undefined ? goal.targetDate : input.targetDate,
    status: input.status ?? goal.status,
    evidence,
    acceptedAt: accepting ? now : goal.acceptedAt,
    updatedAt: now,
  };
  await repo.save(next);
  await recordGoalChanged(em, next, meta);
  return next;
}
