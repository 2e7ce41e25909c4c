/**
 * The Attachments field: files dropped on it or picked, listed with their size and a
 * remove button each. During the upload each file shows its own progress bar.
 *
 * @example
 * const attachments = attachmentsField(t);
 * attachments.files(); // File[]
 * attachments.progress(1, 0.5); // payload 1 (the first file) half uploaded
 */
import { el, replace } from '../dom.js';
import type { Texts } from '../texts.js';

export interface AttachmentsField {
  element: HTMLElement;
  files(): File[];
  /** Shows the upload progress of the file at `index` (0-based), 0…1. */
  progress(index: number, fraction: number): void;
  /** While sending: no adding or removing. */
  lock(locked: boolean): void;
}

export function formatSize(bytes: number, language: 'sv' | 'en'): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${new Intl.NumberFormat(language === 'sv' ? 'sv-SE' : 'en-GB', { maximumFractionDigits: unit === 0 ? 0 : 1 }).format(value)} ${units[unit]}`;
}

export function attachmentsField(t: Texts): AttachmentsField {
  const files: File[] = [];
  const bars: HTMLProgressElement[] = [];
  let locked = false;
  const picker = el('input', { type: 'file', id: 'attachments', multiple: true, class: 'visually-hidden', 'aria-labelledby': 'attachments-legend', 'aria-describedby': 'attachments-hint' });
  const list = el('ul', { class: 'files', 'aria-label': t.attachedFiles });

  const show = () => {
    bars.length = 0;
    replace(
      list,
      ...files.map((file, index) => {
        const bar = el('progress', { max: 1, value: 0, hidden: true, 'aria-label': `${t.uploading} ${file.name}` });
        bars.push(bar);
        return el(
          'li',
          { class: 'file' },
          el('span', { class: 'file-name' }, file.name),
          el('span', { class: 'file-size' }, formatSize(file.size, t.language)),
          bar,
          el(
            'button',
            {
              type: 'button',
              class: 'button small secondary',
              'aria-label': t.removeFile(file.name),
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
  const drop = el(
    'div',
    { class: 'drop' },
    el('span', { id: 'attachments-hint' }, t.dropHint),
    ' ',
    // The label is the visible control; the input stays keyboard-focusable behind it.
    el('label', { for: 'attachments', class: 'button small secondary pick' }, t.pickFiles),
    picker,
  );
  drop.addEventListener('dragover', (event) => {
    event.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (event) => {
    event.preventDefault();
    drop.classList.remove('over');
    add(event.dataTransfer?.files);
  });

  const element = el('fieldset', { class: 'field attachments' }, el('legend', { id: 'attachments-legend' }, t.attachments), drop, list);
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
  };
}
