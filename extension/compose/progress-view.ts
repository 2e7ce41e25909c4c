/**
 * The send's progress in the dialog: a bar and one line ("Sealed and uploaded: 12.0 MiB of
 * 256.0 MiB"), from the uploader's state, which the frame asks for ('upload/progress')
 * until the send ends. A dropped connection shows as reconnecting while the uploader
 * sends what the server is missing.
 *
 * @example
 * const progress = createProgressView();
 * footer.prepend(progress.element);
 * await followSend(sessionId, progress); // throws the send's error if it failed
 */
import { askUploader, ExtensionError, type UploadState } from '../messages.js';
import { formatSize } from '../../client/index.js';
import { text, uiLanguage, type TextKey } from '../texts/index.js';
import { h } from '../../ui/dom.js';

export interface ProgressView {
  element: HTMLElement;
  show(state: UploadState): void;
}

const pollMs = 300;
/** Polls in a row without an answer (the uploader is gone) before the send counts as failed. */
const unansweredPolls = 20;

const phaseText: Record<Exclude<UploadState['phase'], 'failed'>, TextKey> = {
  sealing: 'progress.sealing',
  uploading: 'progress.uploading',
  reconnecting: 'progress.reconnecting',
  finishing: 'progress.finishing',
  sent: 'progress.sent',
};

const size = (bytes: number) => formatSize(bytes, uiLanguage(), { fixed: true });

export function createProgressView(): ProgressView {
  const bar = h('progress', { max: '1', value: '0', 'aria-label': text('progress.label') });
  const line = h('p', { class: 'note', role: 'status' });
  const element = h('div', { class: 'progress' }, bar, line);
  return {
    element,
    show(state) {
      bar.max = Math.max(state.total, 1);
      bar.value = state.sent;
      // A failure is said in the dialog's alert line.
      line.textContent = state.phase === 'failed' ? '' : text(phaseText[state.phase], { sent: size(state.sent), total: size(state.total) });
    },
  };
}

/** Shows the send's state until it is sent (resolves) or failed (throws its error). */
export async function followSend(sessionId: string, view: ProgressView): Promise<void> {
  let unanswered = 0;
  for (;;) {
    let state: UploadState;
    try {
      state = await askUploader('upload/progress', { sessionId });
      unanswered = 0;
    } catch (error) {
      if (!(error instanceof ExtensionError) || error.code !== 'no_answer' || ++unanswered >= unansweredPolls) throw error;
      await new Promise((resolve) => setTimeout(resolve, pollMs));
      continue;
    }
    view.show(state);
    if (state.phase === 'sent') return;
    if (state.phase === 'failed') throw new ExtensionError(state.error?.code ?? 'internal_error', state.error?.message ?? text('problem.generic'));
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
