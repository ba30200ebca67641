import { randomUUID } from 'node:crypto';
import { BadUserInputError, ConflictError, NotFoundError } from '@medcollab/kit';
import { type DataSource, type EntityManager } from 'typeorm';
import { normalizeKey } from '../domain/validation/common';
import { type AddCompetencyInput, type CreateFrameworkInput, type NewCompetency } from '../domain/validation/frameworks';
import { Competency, CompetencyFramework } from '../entities';
import { type EventMeta } from '../outbox';
import { publishFramework } from './published-events';
import { type CreateOptions, lockKey } from './transaction';

/** Rows per INSERT statement when a framework comes with many competencies. */
const INSERT_CHUNK = 500;

export interface CreateFrameworkOptions extends CreateOptions {
  /** Deterministic ids for the seed library, by competency code. */
  competencyId?: (code: string) => string;
  /** Recorded with the CompetencyFrameworkPublished event. */
  meta?: EventMeta;
}

/** Parents before children, otherwise in the given order (the list is known to be acyclic). */
function parentsFirst(items: readonly NewCompetency[]): NewCompetency[] {
  const byCode = new Map(items.map((c) => [normalizeKey(c.code), c]));
  const placed = new Set<string>();
  const ordered: NewCompetency[] = [];
  const place = (c: NewCompetency): void => {
    const key = normalizeKey(c.code);
    if (placed.has(key)) return;
    placed.add(key);
    const parent = c.parentCode === null ? undefined : byCode.get(normalizeKey(c.parentCode));
    if (parent) place(parent);
    ordered.push(c);
  };
  items.forEach(place);
  return ordered;
}

/**
 * Creates a framework and its competencies in the caller's transaction, and publishes it
 * (CompetencyFrameworkPublished). Name and version are unique together (CONFLICT naming
 * `version`); the list was validated as a hierarchy.
 */
export async function createFramework(
  em: EntityManager,
  input: CreateFrameworkInput,
  ownerInstitutionId: string | null,
  opts: CreateFrameworkOptions = {},
): Promise<CompetencyFramework> {
  await lockKey(em, 'framework-name', normalizeKey(input.name));
  const taken = await em
    .getRepository(CompetencyFramework)
    .createQueryBuilder('f')
    .where('lower(f.name) = lower(:name) AND lower(f.version) = lower(:version)', input)
    .getExists();
  if (taken) throw new ConflictError(`Framework "${input.name}" version ${input.version} already exists`, { field: 'version' });

  const framework = em.getRepository(CompetencyFramework).create({
    id: opts.id ?? randomUUID(),
    name: input.name,
    version: input.version,
    description: input.description,
    ownerInstitutionId,
  });
  await em.getRepository(CompetencyFramework).insert(framework);

  const ids = new Map(input.competencies.map((c) => [normalizeKey(c.code), opts.competencyId?.(c.code) ?? randomUUID()]));
  const position = new Map(input.competencies.map((c, i) => [normalizeKey(c.code), i + 1]));
  const rows = parentsFirst(input.competencies).map((c) => ({
    id: ids.get(normalizeKey(c.code)) as string,
    frameworkId: framework.id,
    parentId: c.parentCode === null ? null : (ids.get(normalizeKey(c.parentCode)) as string),
    code: c.code,
    title: c.title,
    description: c.description,
    domain: c.domain,
    category: c.category,
    position: position.get(normalizeKey(c.code)) as number,
  }));
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) await em.getRepository(Competency).insert(rows.slice(i, i + INSERT_CHUNK));
  await publishFramework(em, framework.id, opts.meta);
  return framework;
}

export async function requireFramework(em: EntityManager, id: string): Promise<CompetencyFramework> {
  const framework = await em.getRepository(CompetencyFramework).findOneBy({ id });
  if (!framework) throw new NotFoundError('Competency framework', id);
  return framework;
}

/** Adds one competency under an optional parent of the same framework; its code must be new there. Republishes the framework. */
export async function addCompetency(
  em: EntityManager,
  input: AddCompetencyInput,
  opts: CreateOptions & { meta?: EventMeta } = {},
): Promise<Competency> {
  await lockKey(em, 'framework', input.frameworkId);
  await requireFramework(em, input.frameworkId);
  if (input.parentId) {
    const parent = await em.getRepository(Competency).findOneBy({ id: input.parentId });
    if (parent?.frameworkId !== input.frameworkId) {
      throw new BadUserInputError('parentId must name a competency of the same framework', { field: 'parentId' });
    }
  }
  const duplicate = await em
    .getRepository(Competency)
    .createQueryBuilder('c')
    .where('c.framework_id = :frameworkId AND lower(c.code) = lower(:code)', input)
    .getExists();
  if (duplicate) throw new ConflictError(`This framework already has a competency with code "${input.code}"`, { field: 'code' });
  const [{ next }] = (await em.query(`SELECT COALESCE(MAX(position), 0) + 1 AS next FROM competency WHERE framework_id = $1`, [
    input.frameworkId,
  ])) as [{ next: number }];
  const competency = em.getRepository(Competency).create({
    id: opts.id ?? randomUUID(),
    frameworkId: input.frameworkId,
    parentId: input.parentId,
    code: input.code,
    title: input.title,
    description: input.description,
    domain: input.domain,
    category: input.category,
    position: next,
  });
  await em.getRepository(Competency).insert(competency);
  await publishFramework(em, input.frameworkId, opts.meta);
  return competency;
}

export function listFrameworks(ds: DataSource): Promise<CompetencyFramework[]> {
  return ds.getRepository(CompetencyFramework).find({ order: { name: 'ASC', version: 'ASC', id: 'ASC' } });
}

/** The ids among `ids` that name no competency (one statement). */
export async function unknownCompetencyIds(em: EntityManager, ids: readonly string[]): Promise<string[]> {
  if (!ids.length) return [];
  const rows = (await em.query(`SELECT id FROM competency WHERE id = ANY($1::uuid[])`, [ids])) as { id: string }[];
  const known = new Set(rows.map((r) => r.id));
  return ids.filter((id) => !known.has(id));
}
