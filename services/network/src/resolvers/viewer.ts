import { type Actor } from '@medcollab/kit';
import { type NetworkContext } from '../context';

/** The caller, as the gateway verified them. */
type ViewerSource = Actor;

export const viewerResolvers = {
  Query: {
    viewer: (_: unknown, _args: unknown, ctx: NetworkContext): ViewerSource => ctx.actor,
  },
  Viewer: {
    institution: (v: ViewerSource, _: unknown, ctx: NetworkContext) =>
      v.institutionId ? ctx.loaders.institution.load(v.institutionId) : null,
    // The caller's own records: always theirs to read.
    student: (v: ViewerSource, _: unknown, ctx: NetworkContext) => ctx.loaders.student.load(v.personId),
    staffMember: (v: ViewerSource, _: unknown, ctx: NetworkContext) => ctx.loaders.staffMember.load(v.personId),
  },
};
