/**
 * The secure editor: the secret text and its attachments, typed and picked here, in the
 * extension's own frame. Offers to move text the webmail body already held.
 */
import { h } from '../../ui/dom.js';
import { acceptDrops } from '../../ui/drop-zone.js';
import { formatSize } from '../../client/index.js';
import { text, uiLanguage } from '../texts/index.js';

export interface EditorView {
  element: HTMLElement;
  text(): string;
  files(): File[];
  offerExistingText(existing: string, webmailName: string, move: () => Promise<void>): void;
}

export function createEditorView(onContinue: () => void): EditorView {
  const files: File[] = [];
  const offer = h('div', { hidden: true });
  const textarea = h('textarea', { id: 'secret-text', 'aria-describedby': 'secret-note' });
  const list = h('ul', { class: 'files', 'aria-label': text('editor.attachments') });
  const picker = h('input', { type: 'file', multiple: true, id: 'attachments', hidden: true });
  const drop = h('div', { class: 'drop' }, text('editor.drop'), h('button', { type: 'button', id: 'pick' }, text('editor.attach')));

  const showFiles = () => {
    list.replaceChildren(
      ...files.map((file, index) => {
        const remove = h('button', { type: 'button', 'aria-label': text('editor.removeFile', { name: file.name }) }, text('editor.remove'));
        remove.addEventListener('click', () => {
          files.splice(index, 1);
          showFiles();
        });
        return h('li', {}, h('span', {}, `${file.name} (${formatSize(file.size, uiLanguage())})`), remove);
      }),
    );
  };
  const add = (added: FileList | null) => {
    for (const file of added ?? []) files.push(file);
    showFiles();
  };
  picker.addEventListener('change', () => add(picker.files));
  drop.querySelector('button')?.addEventListener('click', () => picker.click());
  acceptDrops(drop, add);

  const next = h('button', { type: 'button', class: 'primary' }, text('editor.continue'));
  next.addEventListener('click', onContinue);
  const element = h(
    'section',
    { 'aria-label': text('editor.section') },
    h('h1', {}, text('editor.heading')),
    offer,
    h('label', { for: 'secret-text' }, text('editor.heading')),
    textarea,
    h('p', { class: 'note', id: 'secret-note' }, text('editor.note')),
    drop,
    picker,
    list,
    h('div', { class: 'actions' }, next),
  );

  return {
    element,
    text: () => textarea.value,
    files: () => [...files],
    offerExistingText(existing, webmailName, move) {
      const moveButton = h('button', { type: 'button', class: 'primary' }, text('editor.move'));
      const leave = h('button', { type: 'button' }, text('editor.leave'));
      offer.replaceChildren(
        h(
          'div',
          { class: 'warning', role: 'alert' },
          h('p', {}, text('editor.existing', { webmail: webmailName })),
          h('div', { class: 'actions' }, moveButton, leave),
        ),
      );
      offer.hidden = false;
      moveButton.addEventListener('click', async () => {
        moveButton.disabled = true;
        await move();
        textarea.value = textarea.value ? `${existing}\n\n${textarea.value}` : existing;
        offer.hidden = true;
      });
      leave.addEventListener('click', () => {
        offer.hidden = true;
      });
    },
  };
}
