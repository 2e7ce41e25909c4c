/**
 * The uploader: where a send runs, in a context that lives as long as the upload needs
 * (the offscreen document in Chromium, the background page in Firefox; see
 * background/send-context.ts). It takes the session's files from the compose frame
 * (handoff.ts), turns the dialog's recipients into client/'s link plan (each SMS
 * recipient a link of its own, the email recipients one shared link, since the webmail
 * sends the one email), and sends with client/'s sendMessage: seal, create, upload,
 * remember, relay the SMS. The frame follows it with 'upload/progress'; once sent, the
 * worker is told (`reportSent`) and writes the body into the composer.
 *
 * @example
 * listenAsUploader((report) => ask('compose/sent', report).then(() => undefined));
 */
import browser, { type Runtime } from 'webextension-polyfill';
import { ApiError, blobSource, languages, planLinks, sendMessage, type PlannedLink, type SenderApi, type UploadProgress } from '../../client/index.js';
import { answer, describeError, ExtensionError, readMessage, type SendRequest, type SentReport, type UploaderRequests, type UploadState } from '../messages.js';
import { identifyCaller } from '../background/callers.js';
import { saveSettings, signedIn } from '../background/settings.js';
import { receiptKeys, sentLog } from '../storage/stores.js';
import { takeAttachments } from './handoff.js';

export type ReportSent = (report: SentReport) => Promise<void>;

/** Sends by session id; a finished one is kept a while, so its frame reads how it ended. */
const sends = new Map<string, UploadState>();
const keptFinishedMs = 10 * 60_000;

/** Checks what the dialog asks for and plans its links (client/link-plan.ts). */
export function planSend(request: SendRequest): PlannedLink[] {
  if (!languages.includes(request.language)) throw new ExtensionError('request_invalid', 'the language of what recipients get is sv or en');
  if (!Array.isArray(request.recipients) || request.recipients.length === 0) {
    throw new ExtensionError('recipients_missing', 'add a recipient in To, or an SMS recipient');
  }
  if (!Number.isSafeInteger(request.attachmentCount) || request.attachmentCount < 0) throw new ExtensionError('request_invalid', 'attachmentCount is a whole number');
  return planLinks(
    request.recipients.map((recipient) => ({ channel: recipient.channel, address: recipient.address, authorization: recipient.readers })),
    { email: emailOf(request) },
  );
}

/** 'server': the email recipients' readers differ and the sender chose separate emails, one link each, sent by the server. */
const emailOf = (request: SendRequest) => (request.emailDelivery === 'server' ? 'server' : 'webmail');

function update(sessionId: string, change: Partial<UploadState>): void {
  const current = sends.get(sessionId) ?? { phase: 'sealing', sent: 0, total: 0 };
  sends.set(sessionId, { ...current, ...change });
}

/**
 * The sender API with its chunk PUTs watched: a dropped connection (or a server that
 * answers 5xx) shows as reconnecting while client/'s chunked upload retries, and as
 * uploading again once a chunk goes through.
 */
function watchedApi(api: SenderApi, sessionId: string): SenderApi {
  return {
    ...api,
    async putChunk(...args) {
      try {
        const result = await api.putChunk(...args);
        if (sends.get(sessionId)?.phase === 'reconnecting') update(sessionId, { phase: 'uploading' });
        return result;
      } catch (error) {
        if (error instanceof ApiError && (error.status === 0 || error.status >= 500)) update(sessionId, { phase: 'reconnecting' });
        throw error;
      }
    },
  };
}

async function run(request: SendRequest, reportSent: ReportSent): Promise<void> {
  const { sessionId } = request;
  const { api } = await signedIn();
  const links = planSend(request);
  const files = await takeAttachments(sessionId, request.attachmentCount);
  const onProgress = (progress: UploadProgress) => {
    const phase = sends.get(sessionId)?.phase === 'reconnecting' ? 'reconnecting' : 'uploading';
    update(sessionId, { phase, sent: progress.messageSent, total: progress.messageTotal });
  };
  // Chunk by chunk (client/upload.ts): each sealed from a slice of the file as it goes, so
  // memory is the chunks in flight, whatever the file's size.
  const sent = await sendMessage(
    // Each chunk goes as a Blob of its sealed parts, which leave this document's heap at once.
    { api: watchedApi(api, sessionId), keys: receiptKeys, sent: sentLog, onProgress, uploads: 'blob', inFlight: 6 },
    {
      links,
      errand: request.errand,
      text: request.text,
      attachments: files.map((file) => ({ name: file.name, type: file.type || 'application/octet-stream', size: file.size, open: () => file.stream(), read: blobSource(file).read })),
      language: request.language,
      email: emailOf(request),
      ...(request.expiresAt !== undefined ? { expiresAt: request.expiresAt } : {}),
      ...(request.readLimit !== undefined ? { readLimit: request.readLimit } : {}),
    },
  );
  update(sessionId, { phase: 'finishing' });
  await saveSettings({ recipientLanguage: request.language });
  await reportSent({
    sessionId,
    messageId: sent.messageId,
    // With separate emails the server sent them (or the send reports them failed): nothing is written into this email.
    bodyText: emailOf(request) === 'webmail' ? (sent.links.find((link) => link.channel === 'email')?.text ?? '') : '',
    // An email the server could not send stays in To (the popup shows it failed, with Send again).
    removeAddresses: request.removeAddresses.filter((address) => !sent.links.some((link) => link.channel === 'email' && link.to.includes(address) && link.delivery !== 'email_sent')),
    smsSent: sent.links.filter((link) => link.delivery === 'sms_sent').length,
    smsFailed: sent.links.filter((link) => link.delivery === 'sms_failed').length,
  });
  update(sessionId, { phase: 'sent' });
}

/** Starts a send; it runs on after this returns. A session sends once at a time. */
export function startUpload(request: SendRequest, reportSent: ReportSent): void {
  const { sessionId } = request;
  const running = sends.get(sessionId);
  if (running && running.phase !== 'sent' && running.phase !== 'failed') throw new ExtensionError('send_running', 'this message is being sent');
  sends.set(sessionId, { phase: 'sealing', sent: 0, total: 0 });
  void run(request, reportSent)
    .catch((error: unknown) => update(sessionId, { phase: 'failed', error: describeError(error) }))
    .finally(() => setTimeout(() => sends.delete(sessionId), keptFinishedMs));
}

export function uploadState(sessionId: string): UploadState {
  const state = sends.get(sessionId);
  if (!state) throw new ExtensionError('send_unknown', 'this message is not being sent; press Send secure again');
  return state;
}

/** Only the worker starts a send (it checks the session first); extension pages may follow one. */
function isWorker(sender: Runtime.MessageSender): boolean {
  const caller = identifyCaller(sender);
  return caller?.kind === 'page' && caller.tabId === undefined && caller.url === browser.runtime.getURL('background.js');
}

type UploaderHandlers = {
  [K in keyof UploaderRequests]: (request: UploaderRequests[K]['request'], sender: Runtime.MessageSender, reportSent: ReportSent) => UploaderRequests[K]['response'];
};

const uploaderHandlers: UploaderHandlers = {
  'upload/start'(request, sender, reportSent) {
    if (!isWorker(sender)) throw new ExtensionError('caller_refused', 'only the worker starts a send');
    startUpload(request, reportSent);
    return { ok: true };
  },
  'upload/progress'(request, sender) {
    if (identifyCaller(sender)?.kind !== 'page') throw new ExtensionError('caller_refused', 'this caller may not ask that');
    return uploadState(String(request.sessionId));
  },
};

/** Answers the uploader's requests in this context; `reportSent` tells the worker a message went. */
export function listenAsUploader(reportSent: ReportSent): void {
  browser.runtime.onMessage.addListener((message: unknown, sender: Runtime.MessageSender) => {
    const envelope = readMessage(message);
    if (!envelope || !(envelope.type in uploaderHandlers)) return undefined;
    const handler = uploaderHandlers[envelope.type as keyof UploaderRequests] as (request: unknown, sender: Runtime.MessageSender, reportSent: ReportSent) => unknown;
    return answer(async () => {
      if (typeof envelope.request !== 'object' || envelope.request === null) throw new ExtensionError('request_invalid', 'the request is missing');
      return handler(envelope.request, sender, reportSent);
    });
  });
}
