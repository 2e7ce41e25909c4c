/**
 * `sigill send`: the message is sealed here by client/'s sendMessage (the same code the
 * extension runs), SMS links are relayed by the server, email links are printed for the
 * sender to pass on. Per recipient it prints what happened; `--json` prints one JSON
 * document. Links go only to standard output. The secret text comes from a file or
 * standard input, never from an argument.
 *
 * @example
 * sigill send --to "0701234567&login=198001011234" --errand "Ditt avtal" --text-file msg.txt --attach avtal.pdf
 */
import { readFileSync } from 'node:fs';
import { planRecipients, receiptKeyRing, sendMessage, type SentMessage } from '../client/index.js';
import { parseCommandLine, parseDuration, parseReadLimit, readLanguage, type CommandSpec } from './args.js';
import { attachmentSources } from './attachments.js';
import { commandContext } from './context.js';
import { CliError, UsageError } from './errors.js';
import type { Output } from './output.js';
import { createProgress, progressThreshold, type Progress } from './progress.js';
import { printSent } from './sent-output.js';
import { readStandardInput } from './terminal-input.js';
import { texts } from './texts.js';

const spec = {
  options: {
    to: { type: 'string', multiple: true },
    errand: { type: 'string' },
    'text-file': { type: 'string' },
    text: { type: 'string' },
    attach: { type: 'string', multiple: true },
    expires: { type: 'string' },
    'read-limit': { type: 'string' },
    lang: { type: 'string' },
    json: { type: 'boolean' },
  },
  positionals: [],
  required: 0,
} satisfies CommandSpec;

async function messageText(values: Record<string, unknown>, path: (name: string) => string, hint: string): Promise<string> {
  const file = values['text-file'] as string | undefined;
  const text = values.text as string | undefined;
  if (file !== undefined && text !== undefined) throw new UsageError('text_twice', 'give --text-file FILE or --text -, not both');
  if (text !== undefined && text !== '-') {
    throw new UsageError('text_in_argument', 'the message text is never taken from an argument (every user of this machine can see arguments): use --text-file FILE, or --text - and standard input');
  }
  if (text === '-') {
    if (process.stdin.isTTY) process.stderr.write(hint);
    return readStandardInput();
  }
  if (file === undefined) throw new UsageError('text_missing', 'give the message text: --text-file FILE, or --text - for standard input');
  try {
    return readFileSync(path(file), 'utf8');
  } catch (error) {
    throw new CliError('text_file_unreadable', `cannot read ${path(file)}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
  }
}

export async function send(argv: string[], output: Output): Promise<number> {
  const { values } = parseCommandLine(argv, spec);
  const context = commandContext(values.config as string | undefined, process.env);
  const t = texts[context.language];
  const to = (values.to as string[] | undefined) ?? [];
  if (to.length === 0) throw new UsageError('to_missing', 'say who gets the message: --to "0701234567&login=198001011234, anna@example.se?login=*"');
  const errand = values.errand as string | undefined;
  if (errand === undefined || errand.trim() === '') throw new UsageError('errand_missing', 'write an errand: --errand "what the message is about" (it is shown before BankID)');
  const language = readLanguage(values.lang as string | undefined, (await context.stores.settings.load()).recipientLanguage ?? context.language);
  const expiresAt = values.expires === undefined ? undefined : new Date(Date.now() + parseDuration(values.expires as string)).toISOString();
  const readLimit = values['read-limit'] === undefined ? undefined : parseReadLimit(values['read-limit'] as string);
  const links = planRecipients(to.join(', '), { email: 'server' });
  const attachments = attachmentSources(((values.attach as string[] | undefined) ?? []).map(context.path));
  const text = await messageText(values, context.path, t.typeText);

  const { api } = await context.session();
  const controller = new AbortController();
  const cancel = () => controller.abort(new CliError('cancelled', 'cancelled'));
  process.once('SIGINT', cancel);
  let progress: Progress | undefined;
  let sent: SentMessage;
  try {
    sent = await sendMessage(
      {
        api,
        keys: receiptKeyRing(context.stores.keys),
        sent: context.stores.sent,
        uploads: 'stream',
        signal: controller.signal,
        onProgress: ({ messageSent, messageTotal }) => {
          if (messageTotal < progressThreshold) return;
          progress ??= createProgress(process.stderr, t.uploading);
          progress.update(messageSent, messageTotal);
        },
      },
      { links, errand, text, attachments, language, email: 'server', ...(expiresAt ? { expiresAt } : {}), ...(readLimit ? { readLimit } : {}) },
    );
  } catch (error) {
    if (controller.signal.aborted) throw new CliError('cancelled', 'cancelled; the message was not completed and will not be shown to anyone');
    throw error;
  } finally {
    process.off('SIGINT', cancel);
    progress?.finish();
  }
  if (values.json) {
    output.json({
      messageId: sent.messageId,
      createdAt: sent.createdAt,
      expiresAt: sent.expiresAt,
      recipients: sent.links.map(({ channel, to: addresses, readers, linkId, link, text: carrier, delivery, error }) => ({
        channel,
        to: addresses,
        readers,
        linkId,
        delivery,
        link,
        text: carrier,
        ...(error ? { error } : {}),
      })),
    });
  } else {
    printSent(sent, output, t);
  }
  return sent.links.some((link) => link.delivery === 'sms_failed' || link.delivery === 'email_failed') ? 1 : 0;
}
