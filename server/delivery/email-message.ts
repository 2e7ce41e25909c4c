/**
 * The email a recipient gets, made from the sender's prepared text (client/texts.ts's
 * emailBody: the errand, a blank line, one sentence on how to open the message, the link).
 * The errand is the subject and the first line; the HTML part is the same text, escaped,
 * with the link as its one anchor. Nothing here is logged or stored.
 *
 * @example
 * emailParts('Ditt hyresavtal\n\nMeddelandet är skyddat: …\nhttps://…/o/abc#k', 'https://…/o/abc#k', 'sv')
 * // { subject: 'Ditt hyresavtal', text: '…', html: '<!doctype html>…' }
 */
export type EmailLanguage = 'sv' | 'en';

export interface EmailParts {
  subject: string;
  text: string;
  html: string;
}

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => escapes[character]!);
}

/** The errand as a header line: its first line, control characters removed, at most 200 characters. */
export function subjectOf(text: string): string {
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  // eslint-disable-next-line no-control-regex
  return firstLine.replace(/[\u0000-\u001f\u007f]/g, ' ').trim().slice(0, 200);
}

export function emailParts(text: string, link: string, language: EmailLanguage): EmailParts {
  const subject = subjectOf(text);
  const paragraphs = text
    .replace(/\r\n/g, '\n')
    .split(/\n{2,}/)
    .map((paragraph) => paragraph.trim())
    .filter(Boolean);
  const [first = '', ...rest] = paragraphs;
  const anchor = `<a href="${escapeHtml(link)}">${escapeHtml(link)}</a>`;
  const render = (paragraph: string) =>
    paragraph
      .split(link)
      .map((piece) => escapeHtml(piece).replace(/\n/g, '<br>\n'))
      .join(anchor);
  const body = [`<h1 style="font-size:1.25em">${render(first)}</h1>`, ...rest.map((paragraph) => `<p>${render(paragraph)}</p>`)].join('\n');
  const html = `<!doctype html>\n<html lang="${language}">\n<head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>\n<body>\n${body}\n</body>\n</html>\n`;
  return { subject, text: text.endsWith('\n') ? text : `${text}\n`, html };
}
