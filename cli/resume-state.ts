/**
 * The resume file of `sigill send`: what `sigill send --resume` needs to go on with a send
 * that stopped after the message was created (killed, a lost connection, Ctrl-C). It lives
 * only in the config folder (`send-resume.json`, 0600 in the 0700 folder) and is removed
 * once every payload is held (before any link is relayed) or by `sigill send --abandon`.
 *
 * It holds the message id, S (the message secret: resuming must go on sealing), each
 * link's id and plan, the chunk map, and each attachment's path, size and modification
 * time. Never a link, and never the message text: a send that stopped before the server
 * held the text is not resumed (client/resume.ts).
 *
 * @example
 * const state = readResumeState(context.dir);
 * if (state) checkUnchanged(state);
 */
import { statSync } from 'node:fs';
import type { EmailDelivery, Language, PlannedLink } from '../client/index.js';
import type { ConfigDir } from './config-dir.js';
import { CliError } from './errors.js';

export const resumeFileName = 'send-resume.json';
const format = 'sigill-send-resume';

export interface ResumeAttachment {
  /** Absolute path, as the send began with it. */
  path: string;
  name: string;
  size: number;
  mtimeMs: number;
}

export interface ResumeState {
  format: typeof format;
  version: 1;
  serverUrl: string;
  messageId: string;
  /** base64url S. */
  secret: string;
  origin: string;
  links: (PlannedLink & { linkId: string })[];
  contentSize: number;
  attachments: ResumeAttachment[];
  /** Payload index → the chunks the server confirmed, ascending. */
  chunks: Record<string, number[]>;
  errand: string;
  language: Language;
  email: EmailDelivery;
  startedAt: string;
}

function damaged(dir: ConfigDir): CliError {
  return new CliError('config_damaged', `${dir.path}/${resumeFileName} is not what sigill wrote; sigill send --abandon removes it`);
}

export function readResumeState(dir: ConfigDir): ResumeState | undefined {
  const value = dir.read(resumeFileName) as Partial<ResumeState> | undefined;
  if (value === undefined) return undefined;
  const fine =
    typeof value === 'object' &&
    value !== null &&
    value.format === format &&
    value.version === 1 &&
    typeof value.messageId === 'string' &&
    typeof value.secret === 'string' &&
    typeof value.serverUrl === 'string' &&
    typeof value.origin === 'string' &&
    Array.isArray(value.links) &&
    Array.isArray(value.attachments) &&
    value.attachments.every((attachment) => typeof attachment?.path === 'string' && typeof attachment.size === 'number' && typeof attachment.mtimeMs === 'number') &&
    typeof value.chunks === 'object' &&
    typeof value.contentSize === 'number';
  if (!fine) throw damaged(dir);
  return value as ResumeState;
}

export function writeResumeState(dir: ConfigDir, state: ResumeState): void {
  dir.write(resumeFileName, state);
}

/**
 * Keeps the resume file's chunk map current as chunks are held: each new state is
 * written in the background (one write at a time, the latest state next), without an
 * fsync. The map only saves a GET on resume (the server's list of held chunks is the
 * truth), and a synchronous write per chunk (205 per GiB, each an fsync, or a rename
 * that ext4 flushes) stopped every upload in flight. A write that fails is dropped for
 * the same reason. The first write, with the secret, is `writeResumeState`'s, flushed.
 *
 * @example
 * const chunks = resumeChunks(context.dir);
 * onChunk: (index, chunk) => chunks.held((state = withChunk(state, index, chunk))),
 * onUploaded: async () => (await chunks.stop(), removeResumeState(context.dir)),
 */
export function resumeChunks(dir: ConfigDir) {
  let pending: ResumeState | undefined;
  let writing: Promise<void> | undefined;
  const drain = async () => {
    for (let state = pending; state; state = pending) {
      pending = undefined;
      await dir.writeInBackground(resumeFileName, state).catch(() => undefined);
    }
    writing = undefined;
  };
  return {
    /** The state with one more chunk held. */
    held(state: ResumeState) {
      pending = state;
      writing ??= drain();
    },
    /** Resolves once what is pending is written (the upload stopped: the file stays for --resume). */
    async flush() {
      await writing;
    },
    /** Drops what is pending and waits for a write under way (the upload is done: the file is removed next). */
    async stop() {
      pending = undefined;
      await writing;
    },
  };
}

export function removeResumeState(dir: ConfigDir): void {
  dir.remove(resumeFileName);
}

/** Records a chunk the server holds (kept ascending, once). */
export function withChunk(state: ResumeState, index: number, chunk: number): ResumeState {
  const held = new Set(state.chunks[String(index)] ?? []);
  held.add(chunk);
  return { ...state, chunks: { ...state.chunks, [String(index)]: [...held].sort((a, b) => a - b) } };
}

/** A file that changed since the send began is refused, not resumed: its chunks would not fit the ones the server holds. */
export function checkUnchanged(state: ResumeState): void {
  for (const attachment of state.attachments) {
    let now;
    try {
      now = statSync(attachment.path);
    } catch (error) {
      throw new CliError('attachment_changed', `${attachment.path} is gone (${(error as NodeJS.ErrnoException).code ?? 'error'}); the send cannot be resumed: sigill send --abandon, then send it again`);
    }
    if (now.size !== attachment.size || now.mtimeMs !== attachment.mtimeMs) {
      throw new CliError('attachment_changed', `${attachment.path} changed since the send began (its size or modification time); it is not resumed: sigill send --abandon, then send it again`);
    }
  }
}
