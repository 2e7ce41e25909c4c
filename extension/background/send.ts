/**
 * "Send secure", in the worker: it checks the compose session and the dialog's request,
 * hands the send to the uploader (offscreen/uploader.ts) and, once the uploader reports
 * the message sent, ends the session and has the content script write the finished body
 * (errand, one sentence, the email link) into the composer.
 *
 * Where the uploader runs: Chromium's background is a service worker, which the browser
 * stops when it is idle, mid-upload if need be; there sends run in an offscreen document
 * (offscreen/), which lives until it is closed. Firefox has no offscreen documents, and
 * its background is a page: there sends run in it, kept awake by the frame asking for
 * progress ('upload/progress') while it waits.
 *
 * @example
 * await sendSecure(request); // { ok: true }: the frame follows with 'upload/progress'
 */
import browser from 'webextension-polyfill';
import { askContent, askUploader, ExtensionError, type SendRequest, type SentReport } from '../messages.js';
import { planSend, startUpload } from '../offscreen/uploader.js';
import type { Caller } from './callers.js';
import { closeSession, sessionById } from './sessions.js';
import { signedIn } from './settings.js';

/** The parts of Chromium's `chrome` namespace used here (webextension-polyfill has no offscreen). */
interface ChromeOffscreen {
  offscreen: { createDocument(parameters: { url: string; reasons: string[]; justification: string }): Promise<void> };
  runtime: { getContexts(filter: { contextTypes: string[]; documentUrls?: string[] }): Promise<unknown[]> };
}

const offscreenPath = 'offscreen/offscreen.html';
/** One creation at a time: a second createDocument while one exists is refused. */
let creating: Promise<void> | undefined;

async function openOffscreenDocument(): Promise<void> {
  const { chrome } = globalThis as unknown as { chrome: ChromeOffscreen };
  const url = browser.runtime.getURL(offscreenPath);
  const open = await chrome.runtime.getContexts({ contextTypes: ['OFFSCREEN_DOCUMENT'], documentUrls: [url] });
  if (open.length > 0) return;
  creating ??= chrome.offscreen
    .createDocument({ url: offscreenPath, reasons: ['BLOBS'], justification: 'seals and uploads attachments for as long as the upload takes' })
    .finally(() => (creating = undefined));
  await creating;
}

/** The background is a page in Firefox (it has a document); a service worker in Chromium. */
export const backgroundIsPage = typeof document !== 'undefined';

/** Starts the send of a checked session (the frame bound to it asked). */
export async function sendSecure(request: SendRequest): Promise<{ ok: true }> {
  await signedIn();
  planSend(request);
  if (backgroundIsPage) {
    startUpload(request, finishSend);
  } else {
    await openOffscreenDocument();
    await askUploader('upload/start', request);
  }
  return { ok: true };
}

/**
 * The uploader's word that a message went: write the body, end the session. `caller`:
 * who asked, in Chromium (only the offscreen document may); none in Firefox, where the
 * uploader runs in this same page.
 */
export async function finishSend(report: SentReport, caller?: Caller): Promise<void> {
  if (caller && !(caller.kind === 'page' && caller.tabId === undefined && caller.url === browser.runtime.getURL(offscreenPath))) {
    throw new ExtensionError('caller_refused', 'only the uploader reports a message sent');
  }
  const session = await sessionById(report.sessionId);
  if (!session) throw new ExtensionError('session_invalid', 'this compose session is not known; press Send secure again');
  // Sent: the session ends before its frame closes, so the frame's going is no alarm.
  await closeSession(report.sessionId);
  await askContent({ tabId: session.tabId, frameId: session.frameId }, 'content/finish', {
    sessionId: report.sessionId,
    bodyText: report.bodyText,
    removeAddresses: report.removeAddresses,
    smsFailed: report.smsFailed,
  });
}
