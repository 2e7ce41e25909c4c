/**
 * Compose sessions: one per composer the sender pressed "Send secure" on. The worker
 * keeps each in `storage.session` (it may be stopped between messages) with the tab and
 * frame of the content script that opened it, and binds it to exactly one compose frame:
 * the first frame of that tab to present the session's one-time token (handed to the
 * content script only, put in the frame URL's fragment, dropped by the frame at once).
 * From then on only that frame, that same document, acts on the session; any other
 * attempt to bind stops the session.
 *
 * @example
 * const frameToken = await openSession(sessionId, { tabId, frameId, webmail, existingText });
 * await bindFrame(sessionId, frameToken, caller);
 * const session = await sessionFor(sessionId, caller);
 */
import browser from 'webextension-polyfill';
import { encodeBase64url } from '../../shared/base64url.js';
import { ExtensionError, type Webmail } from '../messages.js';
import type { Caller } from './callers.js';

export interface ComposeSession {
  tabId: number;
  frameId: number;
  webmail: Webmail;
  /** Text the webmail body held when "Send secure" was pressed (the page has it already). */
  existingText: string;
  createdAt: number;
  /** The one-time token; null once a frame consumed it. */
  frameToken: string | null;
  /** The compose frame bound to the session (documentId where the browser reports one). */
  frame: { frameId: number; documentId: string | null } | null;
}

const prefix = 'session:';
const sessionIdPattern = /^[A-Za-z0-9_-]{22}$/;
const unknown = () => new ExtensionError('session_invalid', 'this compose session is not known; press Send secure again');

export function checkSessionId(sessionId: unknown): string {
  if (typeof sessionId !== 'string' || !sessionIdPattern.test(sessionId)) throw unknown();
  return sessionId;
}

/** The worker's own look-up, for no caller: the sweeps and stopping a session. */
export async function sessionById(sessionId: string): Promise<ComposeSession | undefined> {
  const key = prefix + checkSessionId(sessionId);
  return (await browser.storage.session.get(key))[key] as ComposeSession | undefined;
}

async function store(sessionId: string, session: ComposeSession): Promise<void> {
  await browser.storage.session.set({ [prefix + sessionId]: session });
}

/** Opens a session for the content script's composer; returns the frame's one-time token. */
export async function openSession(sessionId: string, session: Omit<ComposeSession, 'frameToken' | 'frame'>): Promise<string> {
  const frameToken = encodeBase64url(crypto.getRandomValues(new Uint8Array(32)));
  await store(checkSessionId(sessionId), { ...session, frameToken, frame: null });
  return frameToken;
}

function isBoundFrame(session: ComposeSession, caller: Caller): boolean {
  if (caller.kind !== 'page' || caller.tabId !== session.tabId || !session.frame) return false;
  if (caller.frameId !== session.frame.frameId) return false;
  return session.frame.documentId === null || caller.documentId === session.frame.documentId;
}

/**
 * The compose frame presents the token once. A second frame, a wrong token or a frame
 * in another tab stops the session: someone other than the sender's frame is trying.
 */
export async function bindFrame(sessionId: string, token: unknown, caller: Caller): Promise<ComposeSession> {
  const session = await sessionById(sessionId);
  if (!session) throw unknown();
  const fresh = caller.kind === 'page' && caller.tabId === session.tabId && session.frameToken !== null && token === session.frameToken;
  if (!fresh || caller.kind !== 'page' || caller.frameId === undefined) {
    throw new ExtensionError('session_claimed', 'another frame tried to take over this secure message; Sigill stopped it');
  }
  const bound: ComposeSession = { ...session, frameToken: null, frame: { frameId: caller.frameId, documentId: caller.documentId ?? null } };
  await store(sessionId, bound);
  return bound;
}

/** The session, for the content script that opened it or the frame bound to it. */
export async function sessionFor(sessionId: string, caller: Caller): Promise<ComposeSession> {
  const session = await sessionById(sessionId);
  const allowed =
    session !== undefined && (caller.kind === 'content' ? caller.tabId === session.tabId && caller.frameId === session.frameId : isBoundFrame(session, caller));
  if (!session || !allowed) throw unknown();
  return session;
}

/** The session whose bound frame `caller` is, if any. */
export async function sessionOfFrame(caller: Caller): Promise<{ sessionId: string; session: ComposeSession } | undefined> {
  for (const [key, value] of Object.entries(await browser.storage.session.get(null))) {
    if (!key.startsWith(prefix)) continue;
    const session = value as ComposeSession;
    if (isBoundFrame(session, caller)) return { sessionId: key.slice(prefix.length), session };
  }
  return undefined;
}

/** Every open session, for the sweeps (tab closed, worker start). */
export async function allSessions(): Promise<Map<string, ComposeSession>> {
  const sessions = new Map<string, ComposeSession>();
  for (const [key, value] of Object.entries(await browser.storage.session.get(null))) {
    if (key.startsWith(prefix)) sessions.set(key.slice(prefix.length), value as ComposeSession);
  }
  return sessions;
}

export async function updateSession(sessionId: string, change: Partial<ComposeSession>, caller: Caller): Promise<void> {
  const session = await sessionFor(sessionId, caller);
  await store(sessionId, { ...session, ...change });
}

export async function closeSession(sessionId: string): Promise<void> {
  await browser.storage.session.remove(prefix + checkSessionId(sessionId));
}
