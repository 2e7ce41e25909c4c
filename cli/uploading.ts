/**
 * Runs an upload (a send, or a resumed one) with what the terminal needs around it:
 * progress on standard error (a bar on a terminal, lines elsewhere), Ctrl-C to stop, and
 * a failure that says how to go on when a resume file exists.
 *
 * @example
 * const sent = await uploading(context, t, () => resumable, (hooks) => sendMessage({ ...hooks, api, keys, sent }, input));
 */
import { ApiError, type UploadProgress } from '../client/index.js';
import type { CommandContext } from './context.js';
import { CliError } from './errors.js';
import { createProgress, progressThreshold, type Progress } from './progress.js';
import type { Texts } from './texts.js';

export interface UploadHooks {
  signal: AbortSignal;
  onProgress(progress: UploadProgress): void;
}

export async function uploading<T>(context: CommandContext, t: Texts, resumable: () => boolean, work: (hooks: UploadHooks) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const cancel = () => controller.abort(new CliError('cancelled', 'cancelled'));
  process.once('SIGINT', cancel);
  let progress: Progress | undefined;
  try {
    return await work({
      signal: controller.signal,
      onProgress: ({ messageSent, messageTotal }) => {
        if (messageTotal < progressThreshold) return;
        progress ??= createProgress(process.stderr, t.uploading, context.language);
        progress.update(messageSent, messageTotal);
      },
    });
  } catch (error) {
    const goOn = 'sigill send --resume goes on with it (only the missing chunks are sent), sigill send --abandon gives it up';
    if (controller.signal.aborted) {
      throw new CliError('cancelled', resumable() ? `stopped; ${goOn}` : 'cancelled; the message was not completed and will not be shown to anyone');
    }
    if (resumable() && error instanceof ApiError && !error.code.startsWith('resume_')) {
      throw new CliError('send_stopped', `the upload stopped (${error.message}) [${error.code}]; ${goOn}`, { cause: error });
    }
    throw error;
  } finally {
    process.off('SIGINT', cancel);
    progress?.finish();
  }
}
