/**
 * The service worker (Chromium) or event page (Firefox). It answers only the extension's
 * own contexts (background/callers.ts), keeps no state in globals (it may be stopped at
 * any time), and holds the keys: the receipt key and the API token. Sends run in the
 * uploader (offscreen/uploader.ts): in Chromium an offscreen document, in Firefox this
 * page.
 */
import browser, { type Runtime } from 'webextension-polyfill';
import { answer, composeFramePort, ExtensionError, readMessage, type RequestType } from '../messages.js';
import { identifyCaller, mayAsk } from './callers.js';
import { handlers } from './handlers.js';
import { sessionOfFrame } from './sessions.js';
import { stopSession, sweepLeftAttachments, sweepTab } from './stop.js';
import { backgroundIsPage, finishSend } from './send.js';
import { listenAsUploader } from '../offscreen/uploader.js';
import { receiptKeys } from '../storage/stores.js';

browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) => {
  const envelope = readMessage(message);
  if (!envelope || !(envelope.type in handlers)) return undefined;
  const type = envelope.type as RequestType;
  return answer(async () => {
    const caller = identifyCaller(sender);
    if (!caller || !mayAsk(caller, type)) throw new ExtensionError('caller_refused', 'this caller may not ask that');
    if (typeof envelope.request !== 'object' || envelope.request === null) throw new ExtensionError('request_invalid', 'the request is missing');
    const handler = handlers[type] as (request: unknown, caller: unknown) => Promise<unknown>;
    return handler(envelope.request, caller);
  });
});

browser.runtime.onInstalled.addListener((details) => {
  // The receipt key is made once, when the extension is installed; then the sender signs in.
  void receiptKeys.current();
  if (details.reason === 'install') void browser.runtime.openOptionsPage();
});

// A bound compose frame keeps a port open: when it closes while its session is still
// open, the frame navigated away or was taken out, and the session stops with a warning.
browser.runtime.onConnect.addListener((port: Runtime.Port) => {
  const caller = port.sender ? identifyCaller(port.sender) : undefined;
  if (port.name !== composeFramePort || caller?.kind !== 'page') {
    port.disconnect();
    return;
  }
  void sessionOfFrame(caller).then((bound) => {
    if (!bound) {
      port.postMessage({ type: 'stopped' });
      port.disconnect();
    }
  });
  port.onDisconnect.addListener(() => {
    void sessionOfFrame(caller).then((bound) => bound && stopSession(bound.sessionId, bound.session));
  });
});

browser.tabs.onRemoved.addListener((tabId) => void sweepTab(tabId));
void sweepLeftAttachments();

// Firefox: the background is a page, and sends run in it (background/send.ts).
if (backgroundIsPage) listenAsUploader((report) => finishSend(report));
