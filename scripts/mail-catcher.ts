import { createServer } from 'node:http';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/**
 * `pnpm start`'s local mail catcher: an SMTP server (MAIL_CATCHER_SMTP_PORT, default 1025) that
 * keeps every email the notifications worker sends, and a small web view of them
 * (MAIL_CATCHER_HTTP_PORT, default 1080): newest first, with their links; JSON at /api/email.
 * Nothing leaves the machine.
 */
const smtpPort = Number(process.env.MAIL_CATCHER_SMTP_PORT ?? 1025);
const httpPort = Number(process.env.MAIL_CATCHER_HTTP_PORT ?? 1080);
const mails: { id: number; mail: ParsedMail; receivedAt: Date }[] = [];

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const linkify = (s: string) => escape(s).replace(/(https?:\/\/[^\s<]+)/g, '<a href="$1">$1</a>');
const to = (m: ParsedMail) => (Array.isArray(m.to) ? m.to.map((a) => a.text).join(', ') : (m.to?.text ?? ''));
const unsubscribe = (m: ParsedMail) => /<([^>]+)>/.exec(m.headerLines.find((l) => l.key === 'list-unsubscribe')?.line ?? '')?.[1];

const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onData(stream, _session, callback) {
    simpleParser(stream)
      .then((mail) => {
        mails.unshift({ id: mails.length + 1, mail, receivedAt: new Date() });
        mails.splice(500);
        callback();
      })
      .catch(callback);
  },
});
smtp.listen(smtpPort, '127.0.0.1');

createServer((req, res) => {
  if (req.url === '/api/email') {
    res.setHeader('content-type', 'application/json');
    res.end(
      JSON.stringify(
        mails.map(({ id, mail, receivedAt }) => ({
          id,
          to: to(mail),
          subject: mail.subject,
          text: mail.text,
          unsubscribe: unsubscribe(mail),
          receivedAt,
        })),
      ),
    );
    return;
  }
  const items = mails
    .map(({ id, mail, receivedAt }) => {
      const u = unsubscribe(mail);
      return `<article><h3>#${id} ${escape(mail.subject ?? '')}</h3><p><b>To:</b> ${escape(to(mail))} · ${receivedAt.toISOString()}</p>
<pre>${linkify(mail.text ?? '')}</pre>${u ? `<form method="post" action="${escape(u)}"><button>One-click unsubscribe (RFC 8058)</button></form>` : ''}</article><hr>`;
    })
    .join('');
  res.setHeader('content-type', 'text/html; charset=utf-8');
  res.end(`<!doctype html><meta charset="utf-8"><title>MedCollab mail</title><body style="font-family:sans-serif;max-width:60em;margin:auto">
<h1>MedCollab mail catcher</h1><p>${mails.length} emails (reload to refresh)</p>${items || '<p>No email yet.</p>'}</body>`);
}).listen(httpPort, '127.0.0.1', () =>
  console.log(`mail catcher: SMTP on 127.0.0.1:${smtpPort}, web view on http://localhost:${httpPort}`),
);
