/**
 * The Attachments field: files dropped on it or picked, listed with their size and a
 * remove button each. During the upload each file shows its own progress bar.
 *
 * The server's limit (SIGILL_MAX_MESSAGE_BYTES, from GET /senders/me) is shown beside
 * it, and counted as the server counts it: ciphertext, shared/stream.ts `sealedLength`.
 * A file over it, or one that takes the files together over it, is marked on its own
 * entry with the reason, and `problems()` keeps Send refused until it is removed; at
 * Send, `messageProblem()` counts the content document (payload 0: the text) too, so
 * nothing is sealed or uploaded that the server would refuse.
 *
 * @example
 * const attachments = attachmentsField(t, 100 * 1024 * 1024);
 * attachments.files(); // File[]
 * attachments.problems(); // ['big.iso: over the 100 MiB limit on its own; remove it']
 * attachments.progress(1, 0.5); // payload 1 (the first file) half uploaded
 */
import { formatSize } from '../../client/sizes.js';
import { encodeContent, type Attachment } from '../../shared/content.js';
import { sealedLength } from '../../shared/stream.js';
import { h, replace } from '../../ui/dom.js';
import { acceptDrops } from '../../ui/drop-zone.js';
import type { Texts } from '../texts.js';

export interface AttachmentsField {
  element: HTMLElement;
  files(): File[];
  /** Shows the upload progress of the file at `index` (0-based), 0…1. */
  progress(index: number, fraction: number): void;
  /** While sending: no adding or removing. */
  lock(locked: boolean): void;
  /** Each file over the limit (alone or with those before it), in the sender's words; empty when all fit. */
  problems(): string[];
  /** Where Send puts the focus when it refuses the files: the first refused file's Remove button. */
  firstRefused(): HTMLElement;
  /** Why the whole message (its content document, payload 0, and the files) is over the limit, if it is. */
  messageProblem(content: { text: string; html?: string }): string | undefined;
}

/** A file as the content document lists it (shared/content.ts), the type defaulted as browsers leave it empty. */
export function attachmentOf(file: File): Attachment {
  return { name: file.name, type: file.type || 'application/octet-stream', size: file.size };
}

export type SizeProblem = 'file_too_large' | 'files_too_large';

/**
 * Which files do not fit in `maxMessageBytes` of ciphertext: one alone over it, or one
 * that takes the files before it over it (a refused file is not counted, so a smaller
 * one after it may still fit).
 */
export function sizeProblems(sizes: readonly number[], maxMessageBytes: number): (SizeProblem | null)[] {
  let total = 0;
  return sizes.map((size) => {
    const sealed = sealedLength(size);
    if (sealed > maxMessageBytes) return 'file_too_large';
    if (total + sealed > maxMessageBytes) return 'files_too_large';
    total += sealed;
    return null;
  });
}

export function attachmentsField(t: Texts, maxMessageBytes: number): AttachmentsField {
  const files: File[] = [];
  const bars: HTMLProgressElement[] = [];
  let locked = false;
  let refused: (SizeProblem | null)[] = [];
  const limit = formatSize(maxMessageBytes, t.language);
  const reason = (problem: SizeProblem) => (problem === 'file_too_large' ? t.fileTooLarge(limit) : t.filesTooLarge(limit));
  const picker = h('input', { type: 'file', id: 'attachments', multiple: true, class: 'visually-hidden', 'aria-labelledby': 'attachments-legend', 'aria-describedby': 'attachments-hint attachments-limit' });
  const list = h('ul', { class: 'files', 'aria-label': t.attachedFiles });

  const show = () => {
    bars.length = 0;
    refused = sizeProblems(files.map((file) => file.size), maxMessageBytes);
    replace(
      list,
      ...files.map((file, index) => {
        const bar = h('progress', { max: 1, value: 0, hidden: true, 'aria-label': `${t.uploading} ${file.name}` });
        bars.push(bar);
        const problem = refused[index];
        return h(
          'li',
          { class: problem ? 'file refused' : 'file', ...(problem ? { 'data-problem': problem } : {}) },
          h('span', { class: 'file-name' }, file.name),
          h('span', { class: 'file-size' }, formatSize(file.size, t.language)),
          problem ? h('span', { class: 'file-problem', id: `file-problem-${index}` }, reason(problem)) : null,
          bar,
          h(
            'button',
            {
              type: 'button',
              class: 'button small secondary',
              'aria-label': t.removeFile(file.name),
              ...(problem ? { 'aria-describedby': `file-problem-${index}` } : {}),
              disabled: locked,
              on: {
                click: () => {
                  files.splice(index, 1);
                  show();
                  picker.focus();
                },
              },
            },
            t.remove,
          ),
        );
      }),
    );
  };
  const add = (added: FileList | null | undefined) => {
    if (locked) return;
    for (const file of added ?? []) files.push(file);
    show();
  };
  picker.addEventListener('change', () => {
    add(picker.files);
    picker.value = '';
  });
  const drop = h(
    'div',
    { class: 'drop' },
    h('span', { id: 'attachments-hint' }, t.dropHint),
    ' ',
    // The label is the visible control; the input stays keyboard-focusable behind it.
    h('label', { for: 'attachments', class: 'button small secondary pick' }, t.pickFiles),
    picker,
  );
  acceptDrops(drop, add);

  const element = h(
    'fieldset',
    { class: 'field attachments' },
    h('legend', { id: 'attachments-legend' }, t.attachments),
    h('p', { class: 'hint', id: 'attachments-limit' }, t.attachmentsLimit(limit)),
    drop,
    list,
  );
  return {
    element,
    files: () => [...files],
    progress(index, fraction) {
      const bar = bars[index];
      if (!bar) return;
      bar.hidden = false;
      bar.value = fraction;
    },
    lock(next) {
      locked = next;
      picker.disabled = next;
      show();
    },
    problems: () => files.flatMap((file, index) => (refused[index] ? [t.fileProblem(file.name, reason(refused[index]!))] : [])),
    firstRefused: () => list.querySelector<HTMLButtonElement>('.file.refused button') ?? picker,
    messageProblem({ text, html }) {
      const content = encodeContent({ v: 1, text, ...(html !== undefined ? { html } : {}), attachments: files.map(attachmentOf) });
      const total = files.reduce((sum, file) => sum + sealedLength(file.size), sealedLength(content.length));
      return total > maxMessageBytes ? t.messageTooLarge(limit) : undefined;
    },
  };
}
