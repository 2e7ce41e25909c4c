/**
 * The one typed message map of the extension. Every message between its contexts has a
 * declared request and response here, and is sent only through `ask` and `tell` below,
 * so no call site casts.
 *
 * Who may send what (the service worker enforces it, see background/callers.ts):
 * - the content script (on the webmail page, hostile ground) only `contentRequests`:
 *   nothing it sends or receives holds a key or the secret text;
 * - extension pages (compose frame, popup, options) everything else.
 *
 * @example
 * const { frameUrl } = await ask('compose/open', { sessionId, webmail: 'gmail', existingText: '' });
 */
import browser from 'webextension-polyfill';
import type { Language, MessageView } from '../client/index.js';

export type Webmail = 'gmail' | 'outlook';

/** A recipient as the webmail shows it in To or Cc. */
export interface WebmailRecipient {
  field: 'to' | 'cc';
  /** The address as written in the chip (may be a gateway address, `0701234567&login=…@sms…`). */
  address: string;
  name: string;
}

/** What the content script reads from one composer. No secret: the page shows it. */
export interface ComposeContext {
  subject: string;
  recipients: WebmailRecipient[];
}

/** One recipient as the send dialog has it; the worker plans the links (client/link-plan.ts). */
export interface DialogRecipient {
  channel: 'email' | 'sms';
  /** The email address, or the mobile number as typed (the worker checks it). */
  address: string;
  /** '*' or identities and patterns (`se-pnr:…`). */
  readers: '*' | string[];
}

export interface SendRequest {
  sessionId: string;
  errand: string;
  text: string;
  /** How many attachments the frame hands the uploader (extension/offscreen/handoff.ts). */
  attachmentCount: number;
  /** Email recipients share one link (the webmail sends one email); each SMS recipient gets its own. */
  recipients: DialogRecipient[];
  /** The language of what recipients get: the SMS text and the email body. */
  language: Language;
  /** Gateway addresses to take out of To once the message is sealed. */
  removeAddresses: string[];
  expiresAt?: string;
  readLimit?: number;
}

export interface SettingsView {
  serverUrl: string;
  smsDomain: string;
  signedInAs: string | null;
  /** base64url receipt public key, once made. */
  receiptKey: string | null;
}

/** Requests a content script may send. */
export interface ContentRequests {
  /** "Send secure" pressed on a composer with no frame yet: the frame's URL. */
  'compose/open': { request: { sessionId: string; webmail: Webmail; existingText: string }; response: { frameUrl: string } };
  /** "Send secure" pressed while the frame is open: the frame shows the send dialog. */
  'compose/proceed': { request: { sessionId: string }; response: { ok: true } };
  /** The composer went away (sent, closed or discarded by the webmail). */
  'compose/gone': { request: { sessionId: string }; response: { ok: true } };
  /** The secure frame navigated away or its element was taken out or replaced: stop the session. */
  'compose/frameLost': { request: { sessionId: string }; response: { ok: true } };
}

/** Requests only extension pages may send. */
export interface PageRequests {
  /** The compose frame presents the session's one-time token, once; binds the session to it. */
  'compose/bind': { request: { sessionId: string; token: string }; response: { ok: true } };
  /** `recipientLanguage`: what the sender picked last for recipients, else the browser's language. */
  'compose/context': {
    request: { sessionId: string };
    response: ComposeContext & { webmail: Webmail; existingText: string; smsDomain: string; recipientLanguage: Language };
  };
  'compose/moveExistingText': { request: { sessionId: string }; response: { ok: true } };
  'compose/cancel': { request: { sessionId: string }; response: { ok: true } };
  /** Starts the send in the uploading context; the frame follows it with 'upload/progress'. */
  'compose/send': { request: SendRequest; response: { ok: true } };
  /** The uploader (only) says the message is sealed, stored and relayed: the worker writes the body and ends the session. */
  'compose/sent': { request: SentReport; response: { ok: true } };
  'messages/list': { request: Record<string, never>; response: { messages: MessageView[]; signedIn: boolean } };
  'messages/revoke': { request: { messageId: string }; response: { ok: true } };
  'settings/get': { request: Record<string, never>; response: SettingsView };
  'settings/save': { request: { serverUrl: string; smsDomain: string }; response: SettingsView };
  'account/signIn': { request: { serverUrl: string; token: string }; response: SettingsView };
  'account/signOut': { request: Record<string, never>; response: SettingsView };
  'receiptKey/export': { request: Record<string, never>; response: { backup: string } };
  'receiptKey/import': { request: { backup: string }; response: SettingsView };
}

/** What the uploader reports once a message is stored and its SMS relayed. */
export interface SentReport {
  sessionId: string;
  messageId: string;
  /** The email body (errand, one sentence, the email link); empty without email recipients. */
  bodyText: string;
  removeAddresses: string[];
  smsSent: number;
  smsFailed: number;
}

/** Where a send is, as the uploader tells the compose frame (no secret in it). */
export interface UploadState {
  phase: 'sealing' | 'uploading' | 'reconnecting' | 'finishing' | 'sent' | 'failed';
  /** Ciphertext bytes the server has, of `total`, all payloads together. */
  sent: number;
  total: number;
  error?: { code: string; message: string };
}

/**
 * Requests the uploading context answers: the offscreen document in Chromium (a service
 * worker may be stopped while idle), the background page itself in Firefox.
 */
export interface UploaderRequests {
  /** Only from the worker, once it checked the session. */
  'upload/start': { request: SendRequest; response: { ok: true } };
  /** From the compose frame, while it shows the send's progress. */
  'upload/progress': { request: { sessionId: string }; response: UploadState };
}

export type UploaderRequestType = keyof UploaderRequests;

export type Requests = ContentRequests & PageRequests;
export type RequestType = keyof Requests;
export type RequestOf<K extends RequestType> = Requests[K]['request'];
export type ResponseOf<K extends RequestType> = Requests[K]['response'];

/** Messages the service worker sends to a content script (tabs.sendMessage). */
export interface ContentCommands {
  'content/context': { request: { sessionId: string }; response: ComposeContext };
  'content/clearExistingText': { request: { sessionId: string }; response: { ok: true } };
  'content/close': { request: { sessionId: string }; response: { ok: true } };
  /** The worker stopped the session (its frame was lost or claimed): close the frame and warn. */
  'content/stopped': { request: { sessionId: string }; response: { ok: true } };
  /** Writes the finished body (errand, one sentence, the email link) and removes gateway addresses. */
  'content/finish': { request: { sessionId: string; bodyText: string; removeAddresses: string[]; smsFailed: number }; response: { ok: true } };
}

/** Messages the service worker broadcasts to extension pages (runtime.sendMessage). */
export interface FrameCommands {
  'frame/proceed': { request: { sessionId: string }; response: { ok: true } };
}

export const contentRequestTypes: readonly (keyof ContentRequests)[] = ['compose/open', 'compose/proceed', 'compose/gone', 'compose/frameLost'];

/** The port name a bound compose frame connects on: its disconnect means the frame is gone. */
export const composeFramePort = 'compose-frame';

/** The envelope on the wire: errors travel as data, with a stable code. */
export type Envelope<T> = { ok: true; value: T } | { ok: false, error: { code: string; message: string } };

export class ExtensionError extends Error {
  override readonly name = 'ExtensionError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function unwrap<T>(envelope: unknown): T {
  const value = envelope as Envelope<T> | undefined;
  if (!value || typeof value !== 'object' || !('ok' in value)) {
    throw new ExtensionError('no_answer', 'the extension did not answer; reload the page and try again');
  }
  if (!value.ok) throw new ExtensionError(value.error.code, value.error.message);
  return value.value;
}

/** Asks the service worker. */
export async function ask<K extends RequestType>(type: K, request: RequestOf<K>): Promise<ResponseOf<K>> {
  return unwrap<ResponseOf<K>>(await browser.runtime.sendMessage({ type, request }));
}

/** Asks the uploading context (the offscreen document in Chromium). */
export async function askUploader<K extends UploaderRequestType>(type: K, request: UploaderRequests[K]['request']): Promise<UploaderRequests[K]['response']> {
  return unwrap(await browser.runtime.sendMessage({ type, request }));
}

/** The service worker asks the content script of a tab's frame. */
export async function askContent<K extends keyof ContentCommands>(
  target: { tabId: number; frameId: number },
  type: K,
  request: ContentCommands[K]['request'],
): Promise<ContentCommands[K]['response']> {
  return unwrap(await browser.tabs.sendMessage(target.tabId, { type, request }, { frameId: target.frameId }));
}

/** The service worker tells extension pages (compose frames). Nobody listening is fine. */
export async function tellFrames<K extends keyof FrameCommands>(type: K, request: FrameCommands[K]['request']): Promise<void> {
  try {
    await browser.runtime.sendMessage({ type, request });
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    // "Receiving end does not exist": no frame is open. Nothing to tell.
  }
}

/** Reads `{type, request}` off the wire; undefined for anything else. */
export function readMessage(message: unknown): { type: string; request: unknown } | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const { type, request } = message as { type?: unknown; request?: unknown };
  if (typeof type !== 'string') return undefined;
  return { type, request };
}

/** An error as it may travel: its stable code and message; anything without a code is internal_error, its message kept back. */
export function describeError(error: unknown): { code: string; message: string } {
  if (error instanceof ExtensionError) return { code: error.code, message: error.message };
  const code = typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : 'internal_error';
  const message = error instanceof Error && code !== 'internal_error' ? error.message : 'something went wrong in the extension';
  return { code, message };
}

export async function answer<T>(work: () => Promise<T>): Promise<Envelope<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    return { ok: false, error: describeError(error) };
  }
}
