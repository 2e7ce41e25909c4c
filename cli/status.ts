/**
 * `sigill status [MESSAGE]`: the per-recipient table from one request, with who each
 * link went to (the sealed label) and who read it (the sealed receipts), opened with the
 * receipt keys on this device; `sigill revoke MESSAGE`.
 *
 * @example
 * sigill status
 * sigill status 3q2-7wD5Qz6cXvKc0a1b2w
 */
import { receiptKeyRing, sentMessage, sentMessages, type DeliveryView, type LinkView, type MessageView } from '../client/index.js';
import { parseCommandLine } from './args.js';
import { commandContext } from './context.js';
import { formatTime, table, type Output } from './output.js';
import { readResumeState } from './resume-state.js';
import { readersText } from './sent-output.js';
import { texts, type Texts } from './texts.js';

const when = (iso: string | null) => (iso === null ? '–' : formatTime(iso));

function recipientCells(link: LinkView, t: Texts): string[] {
  const label = link.label;
  const recipient = label === null ? t.unknownRecipient : `${label.channel === 'sms' ? 'SMS' : label.channel === 'email' ? 'email' : 'link'} ${label.to}`;
  const reads = link.reads.map((read) => t.readBy(read.name, formatTime(read.at)));
  if (link.unreadableReceipts > 0) reads.push(t.unreadableReceipts(link.unreadableReceipts));
  return [
    recipient,
    label === null ? '–' : readersText(label.readers, t),
    link.deliveryFailed ? '✗' : when(link.deliveredAt),
    when(link.openedAt),
    when(link.verificationStartedAt),
    reads.length > 0 ? reads.join('; ') : '–',
    String(link.deniedAttempts),
  ];
}

function deliveryState(delivery: DeliveryView, t: Texts): string {
  if (delivery.state !== 'failed') return t.deliveryState[delivery.state];
  if (delivery.reason === 'interrupted') return t.deliveryState.interrupted;
  return t.deliveryFailed([delivery.reason ?? 'error', delivery.providerError].filter(Boolean).join(', '));
}

/** How to resend a link from this device: its address as the recipient column shows it, or its link id. */
function resendCommand(messageId: string, link: LinkView): string {
  const recipient = link.label && link.label.channel !== 'link' && !link.label.to.includes(',') ? link.label.to : link.linkId;
  return `sigill resend ${messageId} ${recipient}`;
}

/**
 * Each delivery the server relayed: channel, masked address, state and time. The latest of
 * a link, when it failed or was interrupted, says how to resend it (or, when this device
 * cannot open its link, to send the message again).
 */
function deliveryRows(view: MessageView, t: Texts): string[][] {
  return view.links.flatMap((link) =>
    link.deliveries.map((delivery, i) => {
      const latestFailed = i === link.deliveries.length - 1 && delivery.offerResend;
      const hint = !latestFailed ? '' : link.resendable ? t.resendWith(resendCommand(view.messageId, link)) : t.sendAgain;
      return [`${delivery.channel === 'sms' ? 'SMS' : 'email'} ${delivery.recipient}`, deliveryState(delivery, t), formatTime(delivery.at), hint];
    }),
  );
}

function printMessage(view: MessageView, output: Output, t: Texts, stopped: string | undefined): void {
  output.line(`${view.messageId}  ${t.state[view.state]}  ${t.created} ${formatTime(view.createdAt)}  ${t.expires} ${formatTime(view.expiresAt)}`);
  if (view.state === 'uploading' && view.messageId === stopped) output.line(`  ${t.sendStopped}`);
  output.line(`  ${view.errand ?? t.unknownErrand}`);
  if (view.attachments.length > 0) output.line(`  ${t.attachments}: ${view.attachments.join(', ')}`);
  const c = t.columns;
  const rows = [[c.recipient, c.readers, c.delivered, c.opened, c.verification, c.read, c.denied], ...view.links.map((link) => recipientCells(link, t))];
  for (const line of table(rows)) output.line(`  ${line}`);
  const deliveries = deliveryRows(view, t);
  if (deliveries.length === 0) return;
  output.line(`  ${t.deliveries}`);
  for (const line of table(deliveries)) output.line(`    ${line.trimEnd()}`);
}

export async function status(argv: string[], output: Output): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, { options: { json: { type: 'boolean' } }, positionals: ['MESSAGE'], required: 0 });
  const context = commandContext(values.config as string | undefined, process.env);
  const t = texts[context.language];
  const { api } = await context.session();
  const statusContext = { api, keys: receiptKeyRing(context.stores.keys), sent: context.stores.sent };
  const [messageId] = positionals;
  const views = messageId === undefined ? await sentMessages(statusContext) : [await sentMessage(statusContext, messageId)];
  if (values.json) {
    output.json(messageId === undefined ? { messages: views } : views[0]);
    return 0;
  }
  if (views.length === 0) output.line(t.noMessages);
  const stopped = readResumeState(context.dir)?.messageId;
  views.forEach((view, i) => {
    if (i > 0) output.line('');
    printMessage(view, output, t, stopped);
  });
  return 0;
}

export async function revoke(argv: string[], output: Output): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, { options: { json: { type: 'boolean' } }, positionals: ['MESSAGE'], required: 1 });
  const context = commandContext(values.config as string | undefined, process.env);
  const { api } = await context.session();
  const revoked = await api.revoke(positionals[0]!);
  if (values.json) output.json({ messageId: revoked.messageId, state: revoked.state, revokedAt: revoked.revokedAt });
  else output.line(texts[context.language].revoked(revoked.messageId));
  return 0;
}
