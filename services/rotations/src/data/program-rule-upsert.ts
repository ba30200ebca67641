import { randomUUID } from 'node:crypto';
import { type EntityManager, type ObjectLiteral } from 'typeorm';

/** How one program (or track) rule is recognised: the columns that make it the same rule. */
export interface ProgramRuleKey {
  /** Names the advisory lock (the unique indexes are on expressions, so writers are serialised). */
  lock: string;
  /** The parts of the rule's identity after program and track, e.g. the specialty. */
  parts: string[];
  programId: string;
  trackId?: string | null;
  /** SQL over alias `r` that matches the rest of the identity, with `params` bound. */
  match: string;
  params: Record<string, unknown>;
}

/**
 * Sets a rule of a program or track (a requirement, a requirement group, a precedence): replaced
 * when set again, so a planner's second call changes the rule instead of adding another.
 */
export async function upsertProgramRule<T extends ObjectLiteral & { id: string }>(
  em: EntityManager,
  entity: new () => T,
  key: ProgramRuleKey,
  values: Partial<T>,
): Promise<T> {
  const repo = em.getRepository(entity);
  await em.query(`SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))`, [
    key.lock,
    [key.programId, key.trackId ?? '*', ...key.parts].join(':'),
  ]);
  const existing = await repo
    .createQueryBuilder('r')
    .where(`r.program_id = :programId AND ${key.match}`, { ...key.params, programId: key.programId })
    .andWhere(key.trackId ? 'r.track_id = :trackId' : 'r.track_id IS NULL', { trackId: key.trackId })
    .getOne();
  if (existing) {
    await repo.update({ id: existing.id } as never, values as never);
    return repo.findOneByOrFail({ id: existing.id } as never);
  }
  const created = repo.create({ id: randomUUID(), ...values } as never) as unknown as T;
  await repo.insert(created as never);
  return created;
}
