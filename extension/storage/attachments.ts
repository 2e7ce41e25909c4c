/**
 * Plaintext attachments that versions up to 0.1 kept in the extension's IndexedDB while
 * they sent. Attachments now go from the compose frame to the uploader as File objects
 * (offscreen/handoff.ts) and are never stored; the worker removes what is left here at
 * start (background/stop.ts).
 *
 * @example
 * for (const sessionId of await attachmentSessions()) await discardAttachments(sessionId);
 */
import { keys, remove } from './database.js';

export function discardAttachments(sessionId: string): Promise<void> {
  return remove('attachments', sessionId);
}

/** The sessions that have attachments stored. */
export function attachmentSessions(): Promise<string[]> {
  return keys('attachments');
}
