import { type Locale, type Message } from './messages';

/** An email ready for SMTP: subject, plain text and HTML, in the recipient's language. */
export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const FOOTER: Record<Locale, { inbox: string; unsubscribe: string }> = {
  en: { inbox: 'Open your MedCollab inbox', unsubscribe: 'Stop emails of this kind' },
  'zh-CN': { inbox: '打开 MedCollab 收件箱', unsubscribe: '不再接收此类邮件' },
};

/** The email of a message: the same words as the inbox, with a link to the inbox and the one-click unsubscribe link. */
export function renderEmail(message: Message, links: { inboxUrl: string; unsubscribeUrl: string }, locale: Locale): RenderedEmail {
  const f = FOOTER[locale];
  const text = `${message.body}\n\n${f.inbox}: ${links.inboxUrl}\n${f.unsubscribe}: ${links.unsubscribeUrl}\n`;
  const paragraphs = message.body
    .split('\n')
    .map((line) => `<p>${escapeHtml(line)}</p>`)
    .join('');
  const html =
    `<!doctype html><html lang="${locale}"><body>${paragraphs}` +
    `<p><a href="${escapeHtml(links.inboxUrl)}">${escapeHtml(f.inbox)}</a></p>` +
    `<p style="font-size:small"><a href="${escapeHtml(links.unsubscribeUrl)}">${escapeHtml(f.unsubscribe)}</a></p></body></html>`;
  return { subject: message.title, text, html };
}
