/**
 * Ending compose sessions, and sweeping their plaintext attachments out of the
 * extension's IndexedDB (issue 15 items 10 and 11): a session stops when its frame is
 * lost (navigated away, taken out or replaced by the page) or another frame tries to
 * claim it; attachments go on a failed send, when the tab closes, and at worker start
 * for every session that no longer exists.
 *
 * @example
 * await stopSession(sessionId); // the content script closes the frame and warns
 * await sweepOrphanAttachments();
 */
import { askContent } from '../messages.js';
import { attachmentSessions, discardAttachments } from '../storage/attachments.js';
import { allSessions, closeSession, type ComposeSession } from './sessions.js';

/** Stops a session: its attachments go, the frame closes, and the sender is warned. */
export async function stopSession(sessionId: string, session: ComposeSession): Promise<void> {
  await closeSession(sessionId);
  await discardAttachments(sessionId);
  await askContent({ tabId: session.tabId, frameId: session.frameId }, 'content/stopped', { sessionId }).catch(() => undefined);
}

/** The tab closed: its sessions end, and their attachments go. */
export async function sweepTab(tabId: number): Promise<void> {
  for (const [sessionId, session] of await allSessions()) {
    if (session.tabId !== tabId) continue;
    await closeSession(sessionId);
    await discardAttachments(sessionId);
  }
}

/** At worker start: attachments of any session that no longer exists go. */
export async function sweepOrphanAttachments(): Promise<void> {
  const live = await allSessions();
  for (const sessionId of await attachmentSessions()) {
    if (!live.has(sessionId)) await discardAttachments(sessionId);
  }
}
