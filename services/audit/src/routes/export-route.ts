import { randomUUID } from 'node:crypto';
import { REQUEST_ID_HEADER } from '@medcollab/kit';
import { type Express } from 'express';
import { type DataSource } from 'typeorm';
import { allEntries } from '../data/entries';
import { recordExport } from '../data/trail-reads';
import { mayReadInstitutionTrail } from '../domain/access-policy';
import { csvField, verifyExport } from '../domain/export-link';
import { entryFilterSchema } from '../domain/validation';
import { type AuditSettings } from '../settings';

export const EXPORT_PATH = '/exports/audit.csv';

const HEADER = [
  'id',
  'at',
  'action',
  'record_type',
  'record_id',
  'student_id',
  'fields',
  'change',
  'reason',
  'actor_id',
  'actor_roles',
  'actor_institution_id',
  'operation',
  'request_id',
  'service',
  'seq',
  'hash',
];

/**
 * GET /exports/audit.csv?token=…: the entries a signed link names, as CSV, streamed page by page.
 * The token is the only credential: 403 for a bad signature or a caller who may no longer read the
 * institution's trail, 410 once expired.
 */
export function exportRoute(app: Express, deps: { dataSource: DataSource }, settings: AuditSettings): void {
  app.get(EXPORT_PATH, async (req, res) => {
    const token = typeof req.query.token === 'string' ? req.query.token : '';
    const check = verifyExport(token, settings.exportSecret, new Date());
    if (!check.ok) {
      const expired = check.reason === 'EXPIRED';
      res
        .status(expired ? 410 : 403)
        .type('text/plain')
        .send(expired ? 'This link has expired' : 'Invalid link');
      return;
    }
    const parsed = entryFilterSchema.safeParse(check.claims.filter);
    if (!parsed.success || !mayReadInstitutionTrail(check.claims.actor, parsed.data.institutionId)) {
      res.status(403).type('text/plain').send("You may not read this institution's audit trail");
      return;
    }
    try {
      res.status(200).type('text/csv; charset=utf-8');
      res.setHeader('content-disposition', `attachment; filename="audit-${parsed.data.institutionId}.csv"`);
      res.write(`${HEADER.join(',')}\r\n`);
      const shown = new Set<string>();
      for await (const r of allEntries(deps.dataSource, parsed.data)) {
        shown.add(r.student_id);
        const line = [
          r.id,
          r.occurred_at.toISOString(),
          r.action,
          r.record_type,
          r.record_id,
          r.student_id,
          r.fields.join(' '),
          r.change,
          r.reason,
          r.actor_id,
          r.actor_roles.join(' '),
          r.actor_institution_id,
          r.operation,
          r.request_id,
          r.source,
          r.seq,
          r.hash,
        ];
        res.write(`${line.map(csvField).join(',')}\r\n`);
      }
      // The download is audited before it completes: a file that reached the caller whole has its entries.
      const requestId = req.header(REQUEST_ID_HEADER) ?? randomUUID();
      await recordExport(
        deps.dataSource,
        { requestId, operation: 'auditExport', actor: check.claims.actor, at: new Date().toISOString() },
        parsed.data.institutionId,
        shown,
      );
      res.end();
    } catch (error) {
      if (res.headersSent) {
        res.destroy(error as Error);
        return;
      }
      res.status(500).type('text/plain').send('Export failed');
    }
  });
}
