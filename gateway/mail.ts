import { simpleParser, type ParsedMail } from 'mailparser';
import sanitizeHtml from 'sanitize-html';
import type { AttachmentSource } from '../shared/seal-message.js';

/**
 * A mail as the gateway turns it into a message: the subject becomes the errand, the
 * text and the HTML body (sanitized to simple formatting) the message, the attachments
 * payloads. All in memory; nothing is spooled to disk. A subject ending in `#links`
 * asks for the links in the sender's confirmation (the tag is not part of the errand).
 */
export interface GatewayMail {
  from: string;
  messageId: string;
  errand: string;
  text: string;
  html?: string;
  attachments: AttachmentSource[];
  wantsLinks: boolean;
}

export class MailRefused extends Error {
  override readonly name = 'MailRefused';
  constructor(
    /** The SMTP reply code: 5xx refused for good, 4xx try again. */
    readonly responseCode: number,
    message: string,
  ) {
    super(message);
  }
}

const allowed: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'b', 'strong', 'i', 'em', 'u', 'ul', 'ol', 'li', 'a', 'blockquote', 'h1', 'h2', 'h3', 'pre', 'code', 'table', 'thead', 'tbody', 'tr', 'th', 'td'],
  allowedAttributes: { a: ['href'] },
  allowedSchemes: ['https', 'http', 'mailto'],
  disallowedTagsMode: 'discard',
};

export async function parseMail(raw: Buffer): Promise<GatewayMail> {
  const parsed: ParsedMail = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true });
  const from = parsed.from?.value.length === 1 ? parsed.from.value[0]?.address : undefined;
  if (!from) throw new MailRefused(550, '5.7.1 the mail needs exactly one From address');
  if (!parsed.messageId) throw new MailRefused(550, '5.6.0 the mail has no Message-ID');
  let subject = (parsed.subject ?? '').trim();
  const wantsLinks = /\s*#links$/i.test(subject);
  if (wantsLinks) subject = subject.replace(/\s*#links$/i, '').trim();
  if (!subject) throw new MailRefused(550, '5.6.0 write the errand in the subject: it tells the recipient what the message is about');
  const html = typeof parsed.html === 'string' ? sanitizeHtml(parsed.html, allowed).trim() : '';
  const attachments: AttachmentSource[] = parsed.attachments.map((attachment, i) => {
    const content = attachment.content;
    return {
      name: attachment.filename?.trim() || `attachment-${i + 1}`,
      type: attachment.contentType || 'application/octet-stream',
      size: content.length,
      open: () =>
        new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(new Uint8Array(content.buffer, content.byteOffset, content.length));
            controller.close();
          },
        }),
    };
  });
  return {
    from: from.toLowerCase(),
    messageId: parsed.messageId,
    errand: subject,
    text: (parsed.text ?? '').trim(),
    ...(html ? { html } : {}),
    attachments,
    wantsLinks,
  };
}
