/**
 * What `sigill send` and `sigill resend` print per recipient: who, who may read, what
 * happened (relayed, failed with its code, or to be handed over and why), and for a link
 * the server did not deliver, its text with the link (standard output only).
 *
 * @example
 * printSent(sent, output, texts.en);
 */
import type { PlannedLink, SentMessage } from '../client/index.js';
import { formatTime, table, type Output } from './output.js';
import type { Texts } from './texts.js';

export function readersText(readers: '*' | string[], t: Texts): string {
  return readers === '*' || readers[0] === '*' ? t.anyone : readers.map((reader) => reader.replace(/^se-pnr:/, '')).join(' ');
}

function recipientText(link: Pick<PlannedLink, 'channel' | 'to'>): string {
  return `${link.channel === 'sms' ? 'SMS' : 'email'} ${link.to.join(', ')}`;
}

/** What happened to one link, said plainly: relayed, failed with its code, or to be handed over (and why). */
export function resultText(link: SentMessage['links'][number], t: Texts): string {
  const code = link.error?.code ?? 'error';
  switch (link.delivery) {
    case 'sms_sent':
      return t.smsSent;
    case 'sms_failed':
      return t.smsFailed(code);
    case 'email_sent':
      return t.emailSent;
    case 'email_failed':
      return t.emailFailed(code);
    case 'hand_over':
      return link.error?.code === 'email_not_configured' ? t.noServerEmail : t.handOver;
  }
}

export function printSent(sent: SentMessage, output: Output, t: Texts): void {
  output.line(t.sent(sent.messageId, formatTime(sent.expiresAt)));
  output.line('');
  const rows = sent.links.map((link) => [
    recipientText(link),
    readersText(link.readers, t),
    resultText(link, t),
  ]);
  for (const line of table([[t.columns.recipient, t.columns.readers, t.columns.result], ...rows])) output.line(`  ${line}`);
  for (const link of sent.links.filter((candidate) => candidate.delivery !== 'sms_sent' && candidate.delivery !== 'email_sent')) printHandOver(link, output, t);
}

/** A link the server did not deliver: its text, with the link, for the sender to pass on. */
export function printHandOver(link: SentMessage['links'][number], output: Output, t: Texts): void {
  output.line('');
  const to = link.to.join(', ');
  output.line(link.delivery === 'email_failed' ? t.emailFailedText(to) : link.channel === 'email' ? t.emailText(to) : t.smsText(to));
  output.line('');
  for (const line of link.text.split('\n')) output.line(line === '' ? '' : `  ${line}`);
}

/** The result of a send: one JSON document, or the table and the texts to pass on. Exit code 1 when a relay failed. */
export function printResult(sent: SentMessage, json: boolean, output: Output, t: Texts): number {
  if (json) {
    output.json({
      messageId: sent.messageId,
      createdAt: sent.createdAt,
      expiresAt: sent.expiresAt,
      recipients: sent.links.map(({ channel, to, readers, linkId, link, text, delivery, error }) => ({ channel, to, readers, linkId, delivery, link, text, ...(error ? { error } : {}) })),
    });
  } else {
    printSent(sent, output, t);
  }
  return sent.links.some((link) => link.delivery === 'sms_failed' || link.delivery === 'email_failed') ? 1 : 0;
}
