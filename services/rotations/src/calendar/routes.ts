import { type Express } from 'express';
import { type Logger } from '@medcollab/kit';
import { type DataSource } from 'typeorm';
import { recordFeedRead } from './audit';
import { buildFeed } from './feed';
import { ownerOfToken } from './tokens';

/**
 * `GET /calendar/<token>.ics`, served by the rotations service itself (calendar apps cannot
 * go through the gateway's sign-in). The token is the only credential: unknown, rotated or
 * malformed tokens all answer the same 404, so nothing can be learnt by probing.
 */
export function mountCalendarRoutes(app: Express, deps: { dataSource: DataSource; log: Logger }): void {
  app.get('/calendar/:file', async (req, res) => {
    const match = /^(.+)\.ics$/.exec(req.params.file);
    const owner = match
      ? await ownerOfToken(deps.dataSource, match[1] as string).catch((error: unknown) => {
          deps.log.error({ err: error }, 'calendar token look-up failed');
          return undefined;
        })
      : null;
    if (owner === undefined) {
      res.status(503).type('text/plain').send('Calendar temporarily unavailable');
      return;
    }
    if (!owner) {
      res.status(404).type('text/plain').send('Not found');
      return;
    }
    try {
      const now = new Date();
      const { ics, shown } = await buildFeed(deps.dataSource, owner, now);
      // Recorded before it is sent, like every read of a student record (ADR 0008 §3).
      await recordFeedRead(deps.dataSource, deps.log, owner, shown, now);
      res.status(200).set({ 'content-type': 'text/calendar; charset=utf-8', 'cache-control': 'private, max-age=300' }).send(ics);
    } catch (error) {
      deps.log.error({ err: error, kind: owner.kind }, 'calendar feed failed');
      res.status(503).type('text/plain').send('Calendar temporarily unavailable');
    }
  });
}
