import { type EntityManager } from 'typeorm';

/** Options the seed uses to make ids deterministic; the API always lets the service pick. */
export interface CreateOptions {
  id?: string;
}

/** Serialises writers of one parent (positions, uniqueness checks) for the rest of the transaction. */
export async function lockKey(em: EntityManager, scope: string, key: string): Promise<void> {
  await em.query(`SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))`, [`curriculum.${scope}`, key]);
}
