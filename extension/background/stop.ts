/**
 * Ending compose sessions: a session stops when its frame is lost (navigated away, taken
 * out or replaced by the page) or another frame tries to claim it, and ends when its tab
 * closes. Plaintext attachments are never stored on the way (offscreen/handoff.ts); what
 * an earlier version left in the extension's IndexedDB goes at worker start (issue 15
 * item 11).
 *
 * @example
 * await stopSession(sessionId, session); // the content script closes the frame and warns
 */
import { askContent } from '../messages.js';
import { attachmentSessions, discardAttachments } from '../storage/attachments.js';
import { allSessions, closeSession, type ComposeSession } from './sessions.js';

/** Stops a session: the frame closes, and the sender is warned. */
export async function stopSession(sessionId: string, session: ComposeSession): Promise<void> {
  await closeSession(sessionId);
  await askContent({ tabId: session.tabId, frameId: session.frameId }, 'content/stopped', { sessionId }).catch(() => undefined);
}

/** The tab closed: its sessions end. */
export async function sweepTab(tabId: number): Promise<void> {
  for (const [sessionId, session] of await allSessions()) {
    if (session.tabId === tabId) await closeSession(sessionId);
  }
}

/** At worker start: plaintext attachments an earlier version kept while it sent go. */
export async function sweepLeftAttachments(): Promise<void> {
  for (const sessionId of await attachmentSessions()) await discardAttachments(sessionId);
}
