/**
 * `sigill send`: the message is sealed here by client/'s sendMessage (the same code the
 * extension runs), SMS links are relayed by the server, email links are printed for the
 * sender to pass on. Per recipient it prints what happened; `--json` prints one JSON
 * document. Links go only to standard output. The secret text comes from a file or
 * standard input, never from an argument. Attachments go up in chunks with a progress bar;
 * a send that stops after the message was created leaves a resume file (resume-state.ts):
 * `sigill send --resume` goes on with it, `sigill send --abandon` gives it up.
 *
 * @example
 * sigill send --to "0701234567&login=198001011234" --errand "Ditt avtal" --text-file msg.txt --attach avtal.pdf
 */
import { readFileSync } from 'node:fs';
import { planRecipients, receiptKeyRing, sendMessage } from '../client/index.js';
import { encodeBase64url } from '../shared/base64url.js';
import { parseLink } from '../shared/link.js';
import { parseCommandLine, parseDuration, parseReadLimit, readLanguage, type CommandSpec } from './args.js';
import { attachmentSources } from './attachments.js';
import { commandContext } from './context.js';
import { CliError, UsageError } from './errors.js';
import { formatTime, type Output } from './output.js';
import { readResumeState, removeResumeState, resumeChunks, withChunk, writeResumeState, type ResumeState } from './resume-state.js';
import { abandonSend, resumeStoppedSend } from './send-resume.js';
import { printResult } from './sent-output.js';
import { readStandardInput } from './terminal-input.js';
import { texts } from './texts.js';
import { uploading } from './uploading.js';

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
    resume: { type: 'boolean' },
    abandon: { type: 'boolean' },
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

const messageOptions = ['to', 'errand', 'text-file', 'text', 'attach', 'expires', 'read-limit', 'lang'];

export async function send(argv: string[], output: Output): Promise<number> {
  const { values } = parseCommandLine(argv, spec);
  const context = commandContext(values.config as string | undefined, process.env);
  const t = texts[context.language];
  if (values.resume || values.abandon) {
    if (values.resume && values.abandon) throw new UsageError('resume_and_abandon', 'give --resume or --abandon, not both');
    if (messageOptions.some((name) => values[name] !== undefined)) throw new UsageError('resume_with_message', '--resume and --abandon take no message: the resume file has it');
    return values.resume ? resumeStoppedSend(context, output, values.json === true) : abandonSend(context, output);
  }
  const unfinished = readResumeState(context.dir);
  if (unfinished) {
    throw new CliError(
      'send_unfinished',
      `the send of message ${unfinished.messageId} (begun ${formatTime(unfinished.startedAt)}) did not finish: sigill send --resume goes on with it, sigill send --abandon gives it up`,
    );
  }
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

  const { api, serverUrl } = await context.session();
  let state: ResumeState | undefined;
  const chunks = resumeChunks(context.dir);
  const sent = await uploading(context, t, () => state !== undefined, (hooks) =>
    sendMessage(
      {
        api,
        keys: receiptKeyRing(context.stores.keys),
        sent: context.stores.sent,
        ...hooks,
        onCreated: ({ messageId, secret, payloads, sealed }) => {
          state = {
            format: 'sigill-send-resume',
            version: 1,
            serverUrl,
            messageId,
            secret: encodeBase64url(secret),
            origin: parseLink(sealed.links[0]!).origin,
            links: links.map((plan, i) => ({ ...plan, linkId: sealed.request.recipients[i]!.linkId })),
            contentSize: payloads[0]!.source.size,
            attachments: attachments.map(({ path, name, size, mtimeMs }) => ({ path, name, size, mtimeMs })),
            chunks: {},
            errand,
            language,
            email: 'server',
            startedAt: new Date().toISOString(),
          };
          writeResumeState(context.dir, state);
        },
        onChunk: (index, chunk) => {
          state = withChunk(state!, index, chunk);
          chunks.held(state);
        },
        onUploaded: async () => {
          await chunks.stop();
          removeResumeState(context.dir);
        },
      },
      { links, errand, text, attachments, language, email: 'server', ...(expiresAt ? { expiresAt } : {}), ...(readLimit ? { readLimit } : {}) },
    ),
  ).finally(chunks.flush);
  return printResult(sent, values.json === true, output, t);
}
