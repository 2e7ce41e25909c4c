/**
 * The popup: sent secure messages with each recipient's status (delivered, opened, read
 * by whom and when, from the receipts the worker opens), each delivery's state, "Send
 * again" for a failed or interrupted one, and revoke. It refreshes by
 * polling with backoff: every 2 s at first, doubling to a minute, back to 2 s on change.
 */
import { ask } from '../messages.js';
import { text } from '../texts/index.js';
import { h } from '../../ui/dom.js';
import { errorText, localize } from '../ui/dom.js';
import { renderMessage } from './render.js';

const list = document.getElementById('messages')!;
const status = document.getElementById('status')!;
const fastest = 2000;
const slowest = 60_000;
let delay = fastest;
let last = '';
let timer: ReturnType<typeof setTimeout> | undefined;

async function revoke(messageId: string): Promise<void> {
  if (!confirm(text('popup.revokeConfirm'))) return;
  try {
    await ask('messages/revoke', { messageId });
    delay = fastest;
    await refresh();
  } catch (error) {
    status.textContent = errorText(error);
  }
}

/** Relays a failed or interrupted delivery again; the worker opens the link from the sealed label. */
async function resend(messageId: string, linkId: string, button: HTMLButtonElement): Promise<void> {
  button.disabled = true;
  button.textContent = text('popup.resending');
  try {
    await ask('messages/resend', { messageId, linkId });
    status.textContent = text('popup.resent');
    delay = fastest;
    last = '';
    await refresh();
  } catch (error) {
    button.disabled = false;
    button.textContent = text('popup.resend');
    status.replaceChildren(h('span', { class: 'problem' }, errorText(error)));
  }
}

async function refresh(): Promise<void> {
  clearTimeout(timer);
  try {
    const { messages, signedIn } = await ask('messages/list', {});
    const snapshot = JSON.stringify(messages);
    delay = snapshot === last ? Math.min(delay * 2, slowest) : fastest;
    if (snapshot !== last) {
      last = snapshot;
      list.replaceChildren(...messages.map((message) => renderMessage(
          message,
          (id) => void revoke(id),
          (id, linkId, button) => void resend(id, linkId, button),
        )));
    }
    if (!signedIn || messages.length === 0 || status.querySelector('.problem')) status.textContent = !signedIn ? text('popup.notSignedIn') : messages.length === 0 ? text('popup.nothing') : '';
  } catch (error) {
    status.replaceChildren(h('span', { class: 'problem' }, errorText(error)));
    delay = Math.min(delay * 2, slowest);
  }
  timer = setTimeout(() => void refresh(), delay);
}

localize(document);
void refresh();
