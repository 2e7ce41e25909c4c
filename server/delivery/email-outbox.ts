import type { EmailTransport } from './email.js';

/**
 * The development email outbox (embedded defaults only, without SIGILL_SMTP_URL): it keeps
 * the last emails in memory for /dev/outbox instead of sending them. Only the text part is
 * kept; the page shows it escaped, never the HTML.
 */
export interface EmailOutboxEntry {
  at: string;
  to: string;
  fromName: string;
  subject: string;
  text: string;
}

export interface EmailOutbox extends EmailTransport {
  entries(): readonly EmailOutboxEntry[];
}

/** An email outbox kept elsewhere (a worker's view of the primary's, server/process/outbox-relay.ts): entries come asynchronously. */
export interface EmailOutboxSource extends EmailTransport {
  entries(): readonly EmailOutboxEntry[] | Promise<readonly EmailOutboxEntry[]>;
}

export function createEmailOutbox(clock: { now(): number }, keep = 200): EmailOutbox {
  const entries: EmailOutboxEntry[] = [];
  return {
    name: 'outbox',
    async send(message) {
      entries.push({ at: new Date(clock.now()).toISOString(), to: message.to, fromName: message.fromName, subject: message.subject, text: message.text });
      if (entries.length > keep) entries.shift();
      return { messageId: `<${crypto.randomUUID()}@outbox.invalid>` };
    },
    close() {},
    entries: () => entries,
  };
}

export function isEmailOutbox(transport: EmailTransport | undefined): transport is EmailOutboxSource {
  return typeof (transport as Partial<EmailOutboxSource> | undefined)?.entries === 'function';
}
