/**
 * The content script: picks the adapter for this webmail, finds its composers and gives
 * each a ComposerControl. It answers only the extension's own worker.
 */
import browser, { type Runtime } from 'webextension-polyfill';
import { answer, readMessage, type ContentCommands } from '../messages.js';
import type { WebmailAdapter } from './adapter.js';
import { ComposerControl } from './composer.js';
import { gmail } from './gmail.js';
import { outlook } from './outlook.js';
import { watchComposers } from './watch.js';

const adapters: Record<string, WebmailAdapter> = {
  'mail.google.com': gmail,
  'outlook.live.com': outlook,
  'outlook.office.com': outlook,
  'outlook.office365.com': outlook,
};

const commandTypes: readonly (keyof ContentCommands)[] = ['content/context', 'content/clearExistingText', 'content/close', 'content/stopped', 'content/finish'];

function start(adapter: WebmailAdapter): void {
  const sessions = new Map<string, ComposerControl>();
  const controls = new Set<ComposerControl>();
  watchComposers(adapter, (composer) => {
    const control = new ComposerControl(composer, adapter, (sessionId, owner) => sessions.set(sessionId, owner));
    controls.add(control);
  });
  // After every DOM change: a composer that left the page (sent, discarded) ends its
  // session; every other one keeps its button, whatever the webmail re-rendered.
  new MutationObserver(() => {
    for (const control of controls) {
      if (control.root.isConnected) {
        control.keepButton();
        control.checkFrame();
        continue;
      }
      controls.delete(control);
      if (control.sessionId) sessions.delete(control.sessionId);
      control.gone();
    }
  }).observe(document.body, { childList: true, subtree: true });

  browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) => {
    if (sender.id !== browser.runtime.id || sender.tab !== undefined) return undefined;
    const envelope = readMessage(message);
    if (!envelope || !(commandTypes as readonly string[]).includes(envelope.type)) return undefined;
    const type = envelope.type as keyof ContentCommands;
    const request = envelope.request as ContentCommands[typeof type]['request'];
    const control = sessions.get(request.sessionId);
    if (!control || control.sessionId !== request.sessionId) return undefined;
    return answer(() => control.command(type, request));
  });
}

const adapter = adapters[location.hostname];
if (adapter) start(adapter);
