/**
 * The receipt key page (#/keys): whether this browser can open receipts, labels and the
 * sender's copies; the backup file (client/'s one format, shared with the extension and
 * the CLI) to save, and to import where the ring is locked (a new device signed in by
 * BankID, or a passkey whose PRF secret is not here).
 *
 * @example
 * main.append(keysView(t, session, () => notice.remove()));
 */
import { ApiError } from '../client/index.js';
import { focusHeading, h } from '../ui/dom.js';
import type { Session } from './session.js';
import type { Texts } from './texts.js';

/** `onChanged` runs after an import (the app drops its locked notice). */
export function keysView(t: Texts, session: Session, onChanged: () => void): HTMLElement {
  const heading = h('h1', { id: 'keys-heading' }, t.receiptKey);
  const status = h('p', { role: 'status', id: 'keys-status' });
  const state = h('p', { class: 'key-state', 'data-key-state': session.toolboxKeys.state }, session.toolboxKeys.state === 'ready' ? t.keyReady : t.keyLocked);
  const picker = h('input', { type: 'file', id: 'backup-file', accept: 'application/json,.json', 'aria-describedby': 'backup-hint' });
  picker.addEventListener('change', async () => {
    const file = picker.files?.[0];
    if (!file) return;
    try {
      await session.toolboxKeys.importBackup(await file.text());
      status.textContent = t.backupImported;
      state.dataset.keyState = 'ready';
      state.textContent = t.keyReady;
      save.disabled = false;
      onChanged();
    } catch (error) {
      status.textContent = t.problem(error instanceof ApiError ? `${error.message} (${error.code})` : String(error));
    }
    picker.value = '';
  });
  const save = h(
    'button',
    {
      type: 'button',
      class: 'button secondary',
      id: 'backup-save',
      disabled: session.toolboxKeys.state !== 'ready',
      on: {
        click: async () => {
          const url = URL.createObjectURL(new Blob([await session.toolboxKeys.exportBackup()], { type: 'application/json' }));
          const link = h('a', { href: url, download: 'sigill-receipt-key.json', hidden: true });
          document.body.append(link);
          link.click();
          link.remove();
          setTimeout(() => URL.revokeObjectURL(url), 10_000);
        },
      },
    },
    t.backupSave,
  );
  const element = h(
    'section',
    { class: 'view keys-view', 'data-view': 'keys' },
    heading,
    state,
    h('p', {}, t.backupWhy),
    h('div', { class: 'row' }, save),
    h('div', { class: 'field' }, h('label', { for: 'backup-file' }, t.backupImport), h('p', { class: 'hint', id: 'backup-hint' }, t.backupImportHint), picker),
    status,
  );
  queueMicrotask(() => focusHeading(heading));
  return element;
}
