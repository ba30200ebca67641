import { ensure, type IdArgs, guarded } from '@medcollab/kit';
import { z } from 'zod';
import { type NetworkContext } from '../context';
import { requireInstitution } from '../data/institutions';
import { canManagePeople } from '../domain/lifecycle';
import { isUuid } from '../domain/validation';
import { createRosterImport, findRosterImport, type RosterImportRow } from '../roster/imports';
import { emptyCounts, ROSTER_APPLY_MODES, ROSTER_FILES, ROSTER_FORMATS, ROSTER_SYNC_MODES } from '../roster/model';

/**
 * Roster imports: the mutation opens an import and returns its one-time upload link; the files
 * go to the network service's own HTTP route (src/roster/upload-route.ts), the worker validates
 * and applies them, and `rosterImport` shows the progress and the report.
 */

const startSchema = z.object({
  institutionId: z.uuid('must be a UUID'),
  format: z.enum(ROSTER_FORMATS),
  syncMode: z.enum(ROSTER_SYNC_MODES),
  applyMode: z.enum(ROSTER_APPLY_MODES),
});

/** Where institutions reach the network service directly (the upload does not go through the gateway). */
const publicBaseUrl = () => (process.env.NETWORK_PUBLIC_URL ?? 'http://localhost:4001').replace(/\/$/, '');

const mayRun = (ctx: NetworkContext, institutionId: string) => canManagePeople(ctx.actor, institutionId);

export const rosterImportResolvers = {
  Query: {
    rosterImport: async (_: unknown, { id }: IdArgs, ctx: NetworkContext) => {
      if (!isUuid(id)) return null;
      const row = await findRosterImport(ctx.dataSource, id);
      if (!row) return null;
      ensure(mayRun(ctx, row.institutionId), "Only the institution's admins and integration accounts may see its roster imports");
      return row;
    },
  },
  Mutation: {
    startRosterImport: guarded({ input: startSchema }, (data, ctx: NetworkContext) => {
      ensure(mayRun(ctx, data.institutionId), "Only the institution's admins and integration accounts may import its roster");
      return ctx.command(async (em) => {
        await requireInstitution(em, data.institutionId, 'institutionId');
        const { row, token } = await createRosterImport(em, data, ctx.actor, ctx.now);
        const uploadPath = `/roster-imports/${row.id}/files?token=${token}`;
        return {
          import: row,
          uploadPath,
          uploadUrl: `${publicBaseUrl()}${uploadPath}`,
          expiresAt: row.uploadExpiresAt,
          requiredFiles: ROSTER_FILES[data.format].required,
          optionalFiles: ROSTER_FILES[data.format].optional,
        };
      });
    }),
  },
  RosterImport: {
    institution: (r: RosterImportRow, _: unknown, ctx: NetworkContext) => ctx.loaders.institution.load(r.institutionId),
    counts: (r: RosterImportRow) => r.counts ?? emptyCounts(),
    issues: (r: RosterImportRow, { first }: { first?: number | null }) => r.issues.slice(0, Math.max(0, Math.min(first ?? 100, 1000))),
  },
};
