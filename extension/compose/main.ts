/**
 * The compose frame (compose.html?session=…), placed by the content script over the
 * webmail body. It talks only to the worker: it reads the composer's subject and
 * recipients through it, and hands it the secret text and attachments to seal.
 */
import browser from 'webextension-polyfill';
import { ask, composeFramePort, readMessage } from '../messages.js';
import { offerAttachments } from '../offscreen/handoff.js';
import { h } from '../../ui/dom.js';
import { errorText, localize } from '../ui/dom.js';
import { createDialogView, type DialogResult } from './dialog-view.js';
import { createEditorView } from './editor-view.js';
import { createProgressView, followSend } from './progress-view.js';
import { recipientRows } from './recipients.js';
import { text } from '../texts/index.js';

const sessionId = new URLSearchParams(location.search).get('session') ?? '';
// The one-time token: read once, then out of the URL, so nothing later can see it.
const frameToken = location.hash.slice(1);
history.replaceState(null, '', location.pathname + location.search);
const app = document.getElementById('app')!;
const problem = h('p', { role: 'alert', class: 'problem' });

const editor = createEditorView(() => void showDialog());
let dialog: HTMLElement | null = null;

/**
 * Hands the files to the uploader (as File objects, never copied), starts the send, and
 * shows its progress in the dialog until it is sent; then the worker closes this frame.
 */
async function send(result: DialogResult): Promise<void> {
  const files = editor.files();
  const offer = offerAttachments(sessionId, files);
  const progress = createProgressView();
  dialog?.querySelector('footer')?.prepend(progress.element);
  try {
    await ask('compose/send', { sessionId, text: editor.text(), attachmentCount: files.length, ...result });
    await followSend(sessionId, progress);
  } catch (error) {
    progress.element.remove();
    throw error;
  } finally {
    offer.close();
  }
}

async function showDialog(): Promise<void> {
  if (dialog) return;
  problem.textContent = '';
  try {
    const context = await ask('compose/context', { sessionId });
    dialog = createDialogView({ subject: context.subject, rows: recipientRows(context.recipients, context.smsDomain), language: context.recipientLanguage }, send, () => {
      dialog?.remove();
      dialog = null;
      editor.element.hidden = false;
    });
    editor.element.hidden = true;
    editor.element.after(dialog);
    dialog.querySelector<HTMLInputElement>('#errand')?.focus();
  } catch (error) {
    problem.textContent = error instanceof Error ? errorText(error) : text('editor.unreadable');
  }
}

/** Holds a port open to the worker while bound (reopened if the worker restarts). */
function stayConnected(): void {
  let stopped = false;
  const port = browser.runtime.connect({ name: composeFramePort });
  port.onMessage.addListener((message: unknown) => {
    if ((message as { type?: unknown } | null)?.type === 'stopped') stopped = true;
  });
  port.onDisconnect.addListener(() => {
    if (!stopped) setTimeout(stayConnected, 250);
  });
}

async function start(): Promise<void> {
  try {
    await ask('compose/bind', { sessionId, token: frameToken });
  } catch (error) {
    app.append(h('p', { role: 'alert', class: 'problem' }, error instanceof Error ? errorText(error) : 'this secure message was stopped'));
    return;
  }
  stayConnected();
  const cancel = h('button', { type: 'button', class: 'cancel' }, text('editor.cancel'));
  cancel.addEventListener('click', () => void ask('compose/cancel', { sessionId }).catch(() => undefined));
  app.append(editor.element, problem, h('div', { class: 'actions' }, cancel));
  browser.runtime.onMessage.addListener((message: unknown) => {
    const envelope = readMessage(message);
    if (envelope?.type !== 'frame/proceed' || (envelope.request as { sessionId?: unknown }).sessionId !== sessionId) return undefined;
    void showDialog();
    return Promise.resolve({ ok: true, value: { ok: true } });
  });
  try {
    const context = await ask('compose/context', { sessionId });
    if (context.existingText.trim() !== '') {
      editor.offerExistingText(context.existingText, context.webmail === 'gmail' ? 'Gmail' : 'Outlook', () =>
        ask('compose/moveExistingText', { sessionId }).then(() => undefined),
      );
    }
  } catch (error) {
    problem.textContent = error instanceof Error ? errorText(error) : text('editor.unreadable');
  }
  document.getElementById('secret-text')?.focus();
}

localize(document);
void start();
