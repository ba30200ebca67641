import { guarded } from '@medcollab/kit';
import { z } from 'zod';
import { type QualityContext } from '../context';
import { requestRebuild } from '../data/rebuild-runs';
import { RebuildRun } from '../entities';

export const rebuildResolvers = {
  Query: {
    qualityRollupRebuild: guarded(
      { roles: ['NETWORK_ADMIN'], action: 'follow rollup rebuilds', input: z.object({ id: z.uuid() }), from: 'args' },
      async ({ id }, ctx: QualityContext) => ctx.dataSource.getRepository(RebuildRun).findOneBy({ id }),
    ),
  },
  Mutation: {
    rebuildQualityRollups: guarded(
      { roles: ['NETWORK_ADMIN'], action: 'rebuild the quality rollups', input: z.unknown(), from: 'args' },
      (_args, ctx: QualityContext) => ctx.command((em) => requestRebuild(em, ctx.actor.personId, ctx.now)),
    ),
  },
  QualityRollupRebuild: {
    progress: (r: RebuildRun) => (r.status === 'SUCCEEDED' ? 1 : r.aggregatesTotal ? r.aggregatesDone / r.aggregatesTotal : 0),
  },
};
