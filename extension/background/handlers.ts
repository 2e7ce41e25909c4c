/**
 * One handler per request type of the message map. Requests are checked here on entry:
 * the map types them for the extension's own code, but a content script runs on
 * hostile ground and is read as untrusted.
 */
import browser from 'webextension-polyfill';
import { askContent, ExtensionError, tellFrames, type RequestOf, type RequestType, type ResponseOf, type SettingsView } from '../messages.js';
import type { Caller } from './callers.js';
import { checkServerUrl, senderApi } from '../../client/index.js';
import { keyRingStore, receiptKeys } from '../storage/stores.js';
import { finishSend, sendSecure } from './send.js';
import { bindFrame, checkSessionId, closeSession, openSession, sessionById, sessionFor, updateSession } from './sessions.js';
import { stopSession } from './stop.js';
import { checkSmsDomain, loadSettings, saveSettings } from './settings.js';
import { listSent, revoke } from './status.js';

type Handlers = { [K in RequestType]: (request: RequestOf<K>, caller: Caller) => Promise<ResponseOf<K>> };

async function settingsView(): Promise<SettingsView> {
  const settings = await loadSettings();
  return {
    serverUrl: settings.serverUrl,
    smsDomain: settings.smsDomain,
    signedInAs: settings.token ? settings.senderName : null,
    receiptKey: (await keyRingStore.load())?.current.receiptKey ?? null,
  };
}

function text(value: unknown, what: string, max: number): string {
  if (typeof value !== 'string' || value.length > max) throw new ExtensionError('request_invalid', `${what} must be text of at most ${max} characters`);
  return value;
}

export const handlers: Handlers = {
  async 'compose/open'(request, caller) {
    if (caller.kind !== 'content') throw new ExtensionError('caller_refused', 'only a webmail page opens a compose frame');
    const sessionId = checkSessionId(request.sessionId);
    if (request.webmail !== 'gmail' && request.webmail !== 'outlook') throw new ExtensionError('request_invalid', 'unknown webmail');
    const existingText = text(request.existingText, 'the existing text', 200_000);
    const frameToken = await openSession(sessionId, { tabId: caller.tabId, frameId: caller.frameId, webmail: request.webmail, existingText, createdAt: Date.now() });
    // The token rides in the fragment: never sent anywhere, and the frame drops it at once.
    return { frameUrl: browser.runtime.getURL(`compose/compose.html?session=${sessionId}#${frameToken}`) };
  },
  async 'compose/bind'(request, caller) {
    const sessionId = checkSessionId(request.sessionId);
    try {
      await bindFrame(sessionId, request.token, caller);
    } catch (error) {
      // Whoever presented it, the sender's session is no longer its own: stop it.
      const session = await sessionById(sessionId);
      if (session) await stopSession(sessionId, session);
      throw error;
    }
    return { ok: true };
  },
  async 'compose/frameLost'(request, caller) {
    const session = await sessionFor(request.sessionId, caller);
    await stopSession(request.sessionId, session);
    return { ok: true };
  },
  async 'compose/proceed'(request, caller) {
    await sessionFor(request.sessionId, caller);
    await tellFrames('frame/proceed', { sessionId: request.sessionId });
    return { ok: true };
  },
  async 'compose/gone'(request, caller) {
    await sessionFor(request.sessionId, caller);
    await closeSession(request.sessionId);
    return { ok: true };
  },
  async 'compose/context'(request, caller) {
    const session = await sessionFor(request.sessionId, caller);
    const context = await askContent(session, 'content/context', { sessionId: request.sessionId });
    const { smsDomain, recipientLanguage } = await loadSettings();
    return { ...context, webmail: session.webmail, existingText: session.existingText, smsDomain, recipientLanguage };
  },
  async 'compose/moveExistingText'(request, caller) {
    const session = await sessionFor(request.sessionId, caller);
    await askContent(session, 'content/clearExistingText', { sessionId: request.sessionId });
    await updateSession(request.sessionId, { existingText: '' }, caller);
    return { ok: true };
  },
  async 'compose/cancel'(request, caller) {
    const session = await sessionFor(request.sessionId, caller);
    await closeSession(request.sessionId);
    await askContent(session, 'content/close', { sessionId: request.sessionId });
    return { ok: true };
  },
  async 'compose/send'(request, caller) {
    await sessionFor(request.sessionId, caller);
    return sendSecure(request);
  },
  async 'compose/sent'(request, caller) {
    await finishSend(request, caller);
    return { ok: true };
  },
  async 'messages/list'() {
    return listSent();
  },
  async 'messages/revoke'(request) {
    await revoke(text(request.messageId, 'messageId', 22));
    return { ok: true };
  },
  async 'settings/get'() {
    return settingsView();
  },
  async 'settings/save'(request) {
    const serverUrl = checkServerUrl(text(request.serverUrl, 'the server address', 2000));
    const smsDomain = checkSmsDomain(text(request.smsDomain, 'the SMS domain', 253));
    const before = await loadSettings();
    await saveSettings(serverUrl === before.serverUrl ? { smsDomain } : { serverUrl, smsDomain, token: null, senderName: null });
    return settingsView();
  },
  async 'account/signIn'(request) {
    const serverUrl = checkServerUrl(text(request.serverUrl, 'the server address', 2000));
    const token = text(request.token, 'the API token', 500).trim();
    if (!/^\S+$/.test(token)) throw new ExtensionError('token_invalid', 'paste the API token: one word, no spaces');
    const sender = await senderApi({ baseUrl: serverUrl, token }).me();
    await saveSettings({ serverUrl, token, senderName: sender.name });
    await receiptKeys.current();
    return settingsView();
  },
  async 'account/signOut'() {
    await saveSettings({ token: null, senderName: null });
    return settingsView();
  },
  async 'receiptKey/export'() {
    return { backup: await receiptKeys.exportBackup() };
  },
  async 'receiptKey/import'(request) {
    await receiptKeys.importBackup(text(request.backup, 'the backup', 100_000));
    return settingsView();
  },
};
