import { randomUUID } from 'node:crypto';
import { BadUserInputError } from '@medcollab/kit';
import { type DataSource, type EntityManager } from 'typeorm';
import { type Specialty } from '../domain/model';
import { type CreatePostProfileInput } from '../domain/validation/frameworks';
import { PostProfile, PostProfileRequirement } from '../entities';
import { unknownCompetencyIds } from './frameworks';
import { type EventMeta } from '../outbox';
import { publishPostProfile } from './published-events';
import { type CreateOptions } from './transaction';

/**
 * Creates a post profile with its requirements, and publishes it (PostProfilePublished); every
 * competency must exist (levels were checked against the scale).
 */
export async function createPostProfile(
  em: EntityManager,
  input: CreatePostProfileInput,
  ownerInstitutionId: string | null,
  opts: CreateOptions & { meta?: EventMeta } = {},
): Promise<PostProfile> {
  const unknown = await unknownCompetencyIds(
    em,
    input.requirements.map((r) => r.competencyId),
  );
  if (unknown.length) {
    throw new BadUserInputError(`Unknown competency: ${unknown.join(', ')}`, {
      field: 'requirements.competencyId',
      unknownCompetencyIds: unknown,
    });
  }
  const profile = em.getRepository(PostProfile).create({
    id: opts.id ?? randomUUID(),
    title: input.title,
    specialty: input.specialty,
    description: input.description,
    ownerInstitutionId,
    scaleName: input.scale.name,
    scaleMin: input.scale.min,
    scaleMax: input.scale.max,
  });
  await em.getRepository(PostProfile).insert(profile);
  await em
    .getRepository(PostProfileRequirement)
    .insert(
      input.requirements.map((r, i) => ({ postProfileId: profile.id, competencyId: r.competencyId, level: r.level, position: i + 1 })),
    );
  await publishPostProfile(em, profile, input.requirements, opts.meta);
  return profile;
}

export function listPostProfiles(ds: DataSource, specialty: Specialty | null): Promise<PostProfile[]> {
  return ds.getRepository(PostProfile).find({ where: specialty ? { specialty } : {}, order: { title: 'ASC', id: 'ASC' } });
}
