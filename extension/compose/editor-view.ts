/**
 * The secure editor: the secret text and its attachments, typed and picked here, in the
 * extension's own frame. Offers to move text the webmail body already held.
 */
import { h } from '../ui/dom.js';

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
  const list = h('ul', { class: 'files', 'aria-label': 'Attachments' });
  const picker = h('input', { type: 'file', multiple: true, id: 'attachments', hidden: true });
  const drop = h('div', { class: 'drop' }, 'Drop files here, or ', h('button', { type: 'button', id: 'pick' }, 'attach files'));

  const showFiles = () => {
    list.replaceChildren(
      ...files.map((file, index) => {
        const remove = h('button', { type: 'button', 'aria-label': `Remove ${file.name}` }, 'Remove');
        remove.addEventListener('click', () => {
          files.splice(index, 1);
          showFiles();
        });
        return h('li', {}, h('span', {}, `${file.name} (${Math.ceil(file.size / 1024)} KiB)`), remove);
      }),
    );
  };
  const add = (added: FileList | null) => {
    for (const file of added ?? []) files.push(file);
    showFiles();
  };
  picker.addEventListener('change', () => add(picker.files));
  drop.querySelector('button')?.addEventListener('click', () => picker.click());
  drop.addEventListener('dragover', (event) => {
    event.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (event) => {
    event.preventDefault();
    drop.classList.remove('over');
    add(event.dataTransfer?.files ?? null);
  });

  const next = h('button', { type: 'button', class: 'primary' }, 'Continue');
  next.addEventListener('click', onContinue);
  const element = h(
    'section',
    { 'aria-label': 'Secure editor' },
    h('h1', {}, 'Secure message'),
    offer,
    h('label', { for: 'secret-text' }, 'Secure message'),
    textarea,
    h('p', { class: 'note', id: 'secret-note' }, 'Typed here, this text stays out of the webmail and its drafts. It is sealed in your browser; only the people you choose can read it, with BankID.'),
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
      const moveButton = h('button', { type: 'button', class: 'primary' }, 'Move it here');
      const leave = h('button', { type: 'button' }, 'Leave it');
      offer.replaceChildren(
        h(
          'div',
          { class: 'warning', role: 'alert' },
          h('p', {}, `The email already has text. Move it into the secure message? ${webmailName} may already have saved it as a draft: if it is secret, delete that draft too.`),
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
