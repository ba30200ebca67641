import { type Express } from 'express';
import { type DataSource } from 'typeorm';
import { type Logger } from '@medcollab/kit';
import { stopEmails } from '../data/preferences';
import { verifyUnsubscribeToken } from '../domain/unsubscribe-token';

const page = (body: string) => `<!doctype html><html><body style="font-family:sans-serif">${body}</body></html>`;

/**
 * One-click unsubscribe (RFC 8058). Mail clients POST `List-Unsubscribe=One-Click` to the URL of
 * the List-Unsubscribe header; the token in it says who and which kind, signed, so the route
 * needs no login. A GET (a person clicking the link in the email, or a link scanner) only shows a
 * button that POSTs, so a scanner cannot unsubscribe anyone.
 */
export function mountUnsubscribe(app: Express, deps: { dataSource: DataSource; log: Logger; secret: string }): void {
  app.get('/unsubscribe', (req, res) => {
    const token = String(req.query.token ?? '');
    if (!verifyUnsubscribeToken(token, deps.secret)) {
      res.status(400).type('html').send(page('<p>This unsubscribe link is not valid.</p>'));
      return;
    }
    const action = `/unsubscribe?token=${encodeURIComponent(token)}`;
    res
      .type('html')
      .send(page(`<form method="post" action="${action}"><button type="submit">Stop these emails / 不再接收此类邮件</button></form>`));
  });
  app.post('/unsubscribe', async (req, res) => {
    const claim = verifyUnsubscribeToken(String(req.query.token ?? ''), deps.secret);
    if (!claim) {
      res.status(400).type('text').send('This unsubscribe link is not valid.');
      return;
    }
    try {
      await deps.dataSource.transaction((em) => stopEmails(em, claim.personId, claim.kind, new Date()));
      res.type('html').send(page('<p>You will no longer receive these emails. / 您将不再收到此类邮件。</p>'));
    } catch (error) {
      deps.log.error({ err: error }, 'unsubscribe failed');
      res.status(503).type('text').send('Please try again later.');
    }
  });
}
