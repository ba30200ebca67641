import { type Express } from 'express';
import { type DataSource } from 'typeorm';
import { AppError } from '@medcollab/kit';
import { readableRow, resolveScope } from '../data/reports';
import { csvField, verifyExport } from '../domain/export-link';
import { REPORT_METRICS } from '../domain/metrics';
import { flatten } from '../domain/report';
import { reportArgsSchema } from '../domain/validation';
import { createLoaders } from '../loaders';
import { type QualitySettings } from '../settings';

export const EXPORT_PATH = '/exports/quality.csv';

const HEADER = ['depth', 'scope_kind', 'scope_id', 'metric', 'item', 'released', 'suppression', 'count', 'mean', 'median', 'evaluators'];

/**
 * GET /exports/quality.csv?token=…: the report a signed link names, as CSV, streamed row by row.
 * Outside the gateway (a browser or spreadsheet follows the link), so the token is the only
 * credential: 403 for a bad signature or a report its owner may no longer see, 410 once expired.
 */
export function exportRoute(app: Express, deps: { dataSource: DataSource }, settings: QualitySettings): void {
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
    try {
      const args = reportArgsSchema.parse({ scope: check.claims.scope, period: check.claims.period, metrics: check.claims.metrics });
      const reader = { actor: check.claims.actor, dataSource: deps.dataSource, loaders: createLoaders(deps.dataSource), settings };
      const root = await readableRow(reader, await resolveScope(reader, args.scope), args.period, args.metrics ?? REPORT_METRICS);
      res.status(200).type('text/csv; charset=utf-8');
      res.setHeader('content-disposition', `attachment; filename="quality-${args.period.id.replace('/', '-')}.csv"`);
      res.write(`${HEADER.join(',')}\r\n`);
      for (const row of flatten(root)) {
        for (const f of row.figures) {
          const line = [
            row.depth,
            row.kind,
            row.id,
            f.metric,
            f.item,
            f.released,
            f.suppression,
            f.count,
            f.mean,
            f.median,
            f.evaluatorCount,
          ];
          res.write(`${line.map(csvField).join(',')}\r\n`);
        }
      }
      res.end();
    } catch (error) {
      if (res.headersSent) {
        res.destroy(error as Error);
        return;
      }
      const refused = error instanceof AppError;
      res
        .status(refused ? 403 : 500)
        .type('text/plain')
        .send(refused ? (error as Error).message : 'Export failed');
    }
  });
}
