/**
 * `sigill send --resume`: goes on with the send the resume file describes, on the server
 * that holds the message, from the same files (a file that changed since is refused), sending only the
 * chunks the server lacks; then relays the links as a send does. `sigill send --abandon`:
 * revokes the half-uploaded message on the server when it can be reached, and removes the
 * resume file either way.
 *
 * @example
 * sigill send --resume
 * sigill send --abandon
 */
import { ApiError, receiptKeyRing, resumeSend } from '../client/index.js';
import { decodeBase64url } from '../shared/base64url.js';
import { readFileRange } from './attachments.js';
import type { CommandContext } from './context.js';
import { CliError } from './errors.js';
import type { Output } from './output.js';
import { checkUnchanged, readResumeState, removeResumeState, resumeChunks, withChunk, type ResumeState } from './resume-state.js';
import { printResult } from './sent-output.js';
import { texts } from './texts.js';
import { uploading } from './uploading.js';

function stateOf(context: CommandContext): ResumeState {
  const state = readResumeState(context.dir);
  if (!state) throw new CliError('nothing_to_resume', 'there is no stopped send on this device (every send finished, or was abandoned)');
  return state;
}

/** Codes after which the send can never go on: the resume file goes. */
const hopeless = new Set(['resume_text_missing', 'resume_message_gone', 'message_not_found']);

export async function resumeStoppedSend(context: CommandContext, output: Output, json: boolean): Promise<number> {
  const t = texts[context.language];
  let state = stateOf(context);
  checkUnchanged(state);
  const { api, serverUrl } = await context.session();
  output.note(t.resuming(state.messageId));
  const chunks = resumeChunks(context.dir);
  try {
    const sent = await uploading(context, t, () => true, (hooks) =>
      resumeSend(
        {
          api,
          keys: receiptKeyRing(context.stores.keys),
          sent: context.stores.sent,
          ...hooks,
          onChunk: (index, chunk) => {
            state = withChunk(state, index, chunk);
            chunks.held(state);
          },
          onUploaded: async () => {
            await chunks.stop();
            removeResumeState(context.dir);
          },
        },
        {
          messageId: state.messageId,
          secret: decodeBase64url(state.secret, 32, 'secret'),
          origin: state.origin,
          links: state.links,
          contentSize: state.contentSize,
          attachments: state.attachments.map(({ path, name, size }) => ({ name, source: { size, read: (offset: number, length: number) => readFileRange(path, offset, length) } })),
          errand: state.errand,
          language: state.language,
          email: state.email,
        },
      ),
    ).finally(chunks.flush);
    return printResult(sent, json, output, t);
  } catch (error) {
    // Another address may be the same server (a proxy, a new name); a server without the message is another one.
    if (error instanceof ApiError && error.code === 'message_not_found' && serverUrl !== state.serverUrl) {
      throw new CliError('resume_other_server', `the send began on ${state.serverUrl}, and ${serverUrl} does not know the message; sign in there (or set SIGILL_SERVER to it) to resume it`);
    }
    if (error instanceof ApiError && hopeless.has(error.code)) {
      removeResumeState(context.dir);
      throw new CliError(error.code, `${error.message} (the resume file is removed)`, { cause: error });
    }
    throw error;
  }
}

export async function abandonSend(context: CommandContext, output: Output): Promise<number> {
  const t = texts[context.language];
  const state = stateOf(context);
  let revoked = false;
  try {
    const { api } = await context.session();
    await api.revoke(state.messageId);
    revoked = true;
  } catch (error) {
    if (!(error instanceof ApiError || error instanceof CliError)) throw error;
    revoked = error instanceof ApiError && error.code === 'message_not_found';
  }
  removeResumeState(context.dir);
  output.line(revoked ? t.abandoned(state.messageId) : t.abandonedOffline(state.messageId));
  return 0;
}
