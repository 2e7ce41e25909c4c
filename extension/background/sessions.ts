/**
 * Compose sessions: one per composer the sender pressed "Send secure" on. The worker
 * keeps each in `storage.session` (it may be stopped between messages) with the tab and
 * frame of the content script that opened it; a compose frame may act on a session only
 * from that same tab.
 *
 * @example
 * await openSession(sessionId, { tabId, frameId, webmail, existingText });
 * const session = await sessionFor(sessionId, caller);
 */
import browser from 'webextension-polyfill';
import { ExtensionError, type Webmail } from '../messages.js';
import type { Caller } from './callers.js';

export interface ComposeSession {
  tabId: number;
  frameId: number;
  webmail: Webmail;
  /** Text the webmail body held when "Send secure" was pressed (the page has it already). */
  existingText: string;
  createdAt: number;
}

const prefix = 'session:';
const sessionIdPattern = /^[A-Za-z0-9_-]{22}$/;

export function checkSessionId(sessionId: unknown): string {
  if (typeof sessionId !== 'string' || !sessionIdPattern.test(sessionId)) {
    throw new ExtensionError('session_invalid', 'this compose session is not known; press Send secure again');
  }
  return sessionId;
}

export async function openSession(sessionId: string, session: ComposeSession): Promise<void> {
  await browser.storage.session.set({ [prefix + checkSessionId(sessionId)]: session });
}

export async function sessionFor(sessionId: string, caller: Caller): Promise<ComposeSession> {
  const key = prefix + checkSessionId(sessionId);
  const session = (await browser.storage.session.get(key))[key] as ComposeSession | undefined;
  const sameTab = session !== undefined && caller.tabId === session.tabId;
  const sameFrame = caller.kind === 'page' || (session !== undefined && caller.frameId === session.frameId);
  if (!session || !sameTab || !sameFrame) {
    throw new ExtensionError('session_invalid', 'this compose session is not known; press Send secure again');
  }
  return session;
}

export async function updateSession(sessionId: string, change: Partial<ComposeSession>, caller: Caller): Promise<void> {
  const session = await sessionFor(sessionId, caller);
  await browser.storage.session.set({ [prefix + sessionId]: { ...session, ...change } });
}

export async function closeSession(sessionId: string): Promise<void> {
  await browser.storage.session.remove(prefix + checkSessionId(sessionId));
}
