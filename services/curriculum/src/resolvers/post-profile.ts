import { ensure, parseInput, requireRole, optionalRef, type IdArgs, type InputArgs } from '@medcollab/kit';
import { type CurriculumContext } from '../context';
import { createPostProfile, listPostProfiles } from '../data/post-profiles';
import { canWriteReferenceData, CURRICULUM_AUTHORS } from '../domain/access-policy';
import { type Specialty } from '../domain/model';
import { createPostProfileSchema } from '../domain/validation/frameworks';
import { type PostProfile, type PostProfileRequirement } from '../entities';
import { referenceOwner } from './common';

/** Post profiles are network-wide reference data (schools and hospitals both define positions). */
export const postProfileResolvers = {
  Query: {
    postProfiles: (_: unknown, { specialty }: { specialty?: Specialty | null }, ctx: CurriculumContext) =>
      listPostProfiles(ctx.dataSource, specialty ?? null),
    postProfile: (_: unknown, { id }: IdArgs, ctx: CurriculumContext) => ctx.loaders.postProfile.load(id),
  },
  Mutation: {
    createPostProfile: (_: unknown, { input }: InputArgs, ctx: CurriculumContext) => {
      requireRole(ctx.actor, CURRICULUM_AUTHORS, 'create post profiles');
      const data = parseInput(createPostProfileSchema, input);
      const owner = referenceOwner(ctx.actor, data.ownerInstitutionId);
      ensure(canWriteReferenceData(ctx.actor, owner), 'You may only create post profiles for your own institution');
      return ctx.command((em) => createPostProfile(em, data, owner, { meta: ctx.eventMeta }));
    },
  },
  PostProfile: {
    __resolveReference: (ref: IdArgs, ctx: CurriculumContext) => ctx.loaders.postProfile.load(ref.id),
    owner: (p: PostProfile) => optionalRef(p.ownerInstitutionId),
    scale: (p: PostProfile) => ({ name: p.scaleName, min: p.scaleMin, max: p.scaleMax }),
    requirements: (p: PostProfile, _: unknown, ctx: CurriculumContext) => ctx.loaders.requirementsByProfile.load(p.id),
  },
  CompetencyRequirement: {
    competency: (r: PostProfileRequirement, _: unknown, ctx: CurriculumContext) => ctx.loaders.competency.load(r.competencyId),
  },
};
