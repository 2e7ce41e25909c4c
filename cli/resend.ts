/**
 * `sigill resend MESSAGE RECIPIENT`: relays a failed or interrupted delivery again. The
 * link is opened from the recipient label sealed to this sender's receipt keys (client/'s
 * resendDelivery); this device never stored it. RECIPIENT is the address as `sigill
 * status` shows it in the recipient column (any way of writing the number), or the link
 * id from `sigill status --json`. The argument is never echoed in a message.
 *
 * @example
 * sigill resend 3q2-7wD5Qz6cXvKc0a1b2w 0701234567
 */
import { receiptKeyRing, resendDelivery, sentMessage, type LinkView } from '../client/index.js';
import { parseMobileNumber } from '../shared/phone-number.js';
import { parseCommandLine, readLanguage } from './args.js';
import { commandContext } from './context.js';
import { CliError } from './errors.js';
import type { Output } from './output.js';
import { printHandOver, resultText } from './sent-output.js';
import { texts } from './texts.js';

function sameNumber(a: string, b: string): boolean {
  try {
    return parseMobileNumber(a) === parseMobileNumber(b);
  } catch {
    return false;
  }
}

/** The one link of the message that RECIPIENT names. */
export function linkNamed(links: LinkView[], recipient: string): LinkView {
  const typed = recipient.trim();
  const matches = links.filter(
    (link) =>
      link.linkId === typed ||
      (link.label?.channel === 'sms' && sameNumber(link.label.to, typed)) ||
      (link.label?.channel === 'email' && link.label.to.toLowerCase() === typed.toLowerCase()),
  );
  if (matches.length === 0) throw new CliError('recipient_not_found', 'no recipient of this message is written that way; see sigill status MESSAGE (the address needs the receipt keys that sent it)');
  if (matches.length > 1) throw new CliError('recipient_ambiguous', 'more than one recipient is written that way; give its link id (sigill status MESSAGE --json)');
  return matches[0]!;
}

export async function resend(argv: string[], output: Output): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, { options: { lang: { type: 'string' }, json: { type: 'boolean' } }, positionals: ['MESSAGE', 'RECIPIENT'], required: 2 });
  const context = commandContext(values.config as string | undefined, process.env);
  const t = texts[context.language];
  const [messageId, recipient] = positionals as [string, string];
  const language = readLanguage(values.lang as string | undefined, (await context.stores.settings.load()).recipientLanguage ?? context.language);
  const { api } = await context.session();
  const keys = receiptKeyRing(context.stores.keys);
  const view = await sentMessage({ api, keys, sent: context.stores.sent }, messageId);
  const link = linkNamed(view.links, recipient);
  const resent = await resendDelivery({ api, keys }, messageId, link.linkId, { language });
  const failed = resent.delivery === 'sms_failed' || resent.delivery === 'email_failed';
  if (values.json) {
    const { channel, to, linkId, delivery, error } = resent;
    output.json({ messageId, channel, to, linkId, delivery, ...(error ? { error } : {}), ...(failed ? { link: resent.link, text: resent.text } : {}) });
  } else {
    output.line(t.resent(resent.to.join(', '), resultText(resent, t)));
    if (resent.delivery !== 'sms_sent' && resent.delivery !== 'email_sent') printHandOver(resent, output, t);
  }
  return failed ? 1 : 0;
}
