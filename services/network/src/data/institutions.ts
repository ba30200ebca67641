import { randomUUID } from 'node:crypto';
import { ConflictError, NotFoundError, plainKeysetPage, SqlConditions } from '@medcollab/kit';
import { type DataSource, type EntityManager } from 'typeorm';
import { type CreateInstitutionInput } from '../domain/validation';
import { type InstitutionKind } from '../domain/model';
import { Institution } from '../entities';
import { InstitutionCreated } from '@medcollab/events';
import { type EventMeta, outbox } from '../outbox';
import { keyTuple, parseKeyTuple } from './keyset';
import { type LazyConnection } from './name-page';

/** Options the seed uses to make ids deterministic; the API always lets the service pick. */
export interface CreateOptions {
  id?: string;
  /** Recorded with the created event (the seed names itself). */
  meta?: EventMeta;
}

export async function createInstitution(em: EntityManager, input: CreateInstitutionInput, opts: CreateOptions = {}): Promise<Institution> {
  const existing = await em
    .getRepository(Institution)
    .createQueryBuilder('i')
    .where('lower(i.name) = lower(:name)', { name: input.name })
    .getExists();
  if (existing) throw new ConflictError(`An institution named "${input.name}" already exists`, { field: 'name' });
  if (input.sourcedId) {
    const holder = await em.getRepository(Institution).findOneBy({ sourcedId: input.sourcedId });
    if (holder) throw new ConflictError(`sourcedId "${input.sourcedId}" already names ${holder.name}`, { field: 'sourcedId' });
  }
  const institution = await em
    .getRepository(Institution)
    .save(em.getRepository(Institution).create({ id: opts.id ?? randomUUID(), ...input }));
  await outbox.append(
    em,
    InstitutionCreated,
    institution.id,
    { institutionId: institution.id, name: institution.name, kind: institution.kind, timezone: institution.timezone },
    opts.meta,
  );
  return institution;
}

/** The institution, or NOT_FOUND naming which input field pointed at nothing. */
export async function requireInstitution(em: EntityManager, id: string, field: string): Promise<Institution> {
  const institution = await em.getRepository(Institution).findOneBy({ id });
  if (!institution) throw new NotFoundError(`Institution (${field})`, id);
  return institution;
}

/** All institutions (of a kind), by name. */
export function listInstitutions(ds: DataSource, kind: InstitutionKind | null | undefined): Promise<Institution[]> {
  return ds.getRepository(Institution).find({ where: kind ? { kind } : {}, order: { name: 'ASC' } });
}

const institutionKey = (i: Institution): string => keyTuple(i.name, i.id);

/** One page of the institutions (of a kind), by name then id; the cursor carries the last (name, id). Plain SQL (the kit's plainKeysetPage). */
export function pageInstitutions(
  ds: DataSource,
  kind: InstitutionKind | null | undefined,
  page: { limit: number; afterKey: string | null },
): Promise<LazyConnection<Institution>> {
  const where = new SqlConditions();
  if (kind) where.and((p) => `kind = ${p(kind)}`);
  const after = page.afterKey ? (parseKeyTuple(page.afterKey, 2) as [string, string]) : null;
  return plainKeysetPage(ds, Institution, where, {
    limit: page.limit,
    seek: after ? (p) => `(name, id) > (${p(after[0])}, ${p(after[1])})` : null,
    orderBy: 'name ASC, id ASC',
    keyOf: institutionKey,
  });
}
