import { type ConnectionArgs, ensure, guarded, type IdArgs, pageRequest, parseInput, ref } from '@medcollab/kit';
import { type AuditContext } from '../context';
import { listEntries } from '../data/entries';
import { type EntryRow } from '../data/rows';
import { TRAIL_RECORD } from '../data/trail-reads';
import { mayManageRetention, mayReadAccessHistory, mayReadInstitutionTrail } from '../domain/access-policy';
import { signExport } from '../domain/export-link';
import { entryFilterSchema, historyArgsSchema, retentionInputSchema } from '../domain/validation';
import { EXPORT_PATH } from '../routes/export-route';

const INSTITUTION_ONLY = "Only the institution's admins and quality officers may read its audit trail";

/** An entry as the API shows it; `reason` is left out of a student's own history. */
const toEntry = (r: EntryRow, showReason: boolean) => ({
  id: String(r.id),
  at: r.occurred_at,
  action: r.action,
  recordType: r.record_type,
  recordId: r.record_id,
  student: ref(r.student_id),
  fields: r.fields,
  change: r.change,
  reason: showReason ? r.reason : null,
  actorId: r.actor_id,
  actorRoles: r.actor_roles,
  actorInstitution: r.actor_institution_id ? ref(r.actor_institution_id) : null,
  operation: r.operation,
  requestId: r.request_id,
  service: r.source,
});

type RetentionRow = { institution_id: string; months: number; legal_hold: boolean };
const toRetention = (r: RetentionRow) => ({ institution: ref(r.institution_id), months: r.months, legalHold: r.legal_hold });

export const entryResolvers = {
  Query: {
    auditEntries: async (_: unknown, args: ConnectionArgs & { filter: unknown }, ctx: AuditContext) => {
      const filter = parseInput(entryFilterSchema, args.filter);
      ensure(mayReadInstitutionTrail(ctx.actor, filter.institutionId), INSTITUTION_ONLY);
      const page = await listEntries(ctx.dataSource, filter, pageRequest(args));
      // Reading the trail is audited: one entry per student whose entries the page showed.
      for (const studentId of new Set(page.edges.map((e) => e.node.student_id)))
        ctx.audit.read(TRAIL_RECORD, filter.institutionId, { studentId, schoolId: filter.institutionId, fields: ['auditEntries'] });
      return { ...page, edges: page.edges.map((e) => ({ cursor: e.cursor, node: toEntry(e.node, true) })) };
    },
    auditExportLink: (_: unknown, args: { filter: unknown }, ctx: AuditContext) => {
      const filter = parseInput(entryFilterSchema, args.filter);
      ensure(mayReadInstitutionTrail(ctx.actor, filter.institutionId), INSTITUTION_ONLY);
      const exp = Math.floor(ctx.now.getTime() / 1000) + ctx.settings.exportTtlSeconds;
      const token = signExport({ actor: ctx.actor, filter: args.filter, exp }, ctx.settings.exportSecret);
      return { url: `${ctx.settings.publicUrl}${EXPORT_PATH}?token=${token}`, expiresAt: new Date(exp * 1000) };
    },
    auditRetention: async (_: unknown, { institutionId }: { institutionId: string }, ctx: AuditContext) => {
      const id = parseInput(retentionInputSchema.pick({ institutionId: true }), { institutionId }).institutionId;
      ensure(mayReadInstitutionTrail(ctx.actor, id), INSTITUTION_ONLY);
      const [row] = (await ctx.dataSource.query(
        `SELECT institution_id, months, legal_hold FROM audit_retention WHERE institution_id = $1`,
        [id],
      )) as RetentionRow[];
      return row ? toRetention(row) : null;
    },
  },
  Mutation: {
    setAuditRetention: guarded({ input: retentionInputSchema }, async (data, ctx: AuditContext) => {
      ensure(mayManageRetention(ctx.actor, data.institutionId), "Only the institution's admins may set how long its audit trail is kept");
      const [row] = (await ctx.command((em) =>
        em.query(
          `INSERT INTO audit_retention (institution_id, months, legal_hold, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (institution_id) DO UPDATE
             SET months = EXCLUDED.months, legal_hold = EXCLUDED.legal_hold, updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at
           RETURNING institution_id, months, legal_hold`,
          [data.institutionId, data.months, data.legalHold, ctx.actor.personId, ctx.now],
        ),
      )) as RetentionRow[];
      return toRetention(row!);
    }),
  },
  Student: {
    __resolveReference: (r: IdArgs) => ({ id: r.id }),
    /** The student's own: who read or changed their record. FORBIDDEN for anyone else. */
    accessHistory: async (s: IdArgs, args: ConnectionArgs & { from?: unknown; to?: unknown }, ctx: AuditContext) => {
      ensure(mayReadAccessHistory(ctx.actor, s.id), 'Only the student may read their own access history');
      const { from, to } = parseInput(historyArgsSchema, { from: args.from, to: args.to });
      const page = await listEntries(ctx.dataSource, { studentId: s.id, from, to }, pageRequest(args));
      return { ...page, edges: page.edges.map((e) => ({ cursor: e.cursor, node: toEntry(e.node, false) })) };
    },
  },
};
