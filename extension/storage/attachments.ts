/**
 * Attachments on their way from the compose frame to the service worker. Extension
 * messaging carries JSON only in Chromium, and the frame, embedded in the webmail page,
 * gets only partitioned storage of its own, so the frame sends each file in chunks
 * ('compose/attach') and the worker appends them here, in the extension's own IndexedDB,
 * as Blobs (which the browser may keep on disk). They are removed once sealed or
 * discarded.
 *
 * @example
 * await appendAttachmentChunk(sessionId, 0, { name, type, size }, 0, bytes);
 * const files = await loadAttachments(sessionId, 1);
 */
import { attachmentChunkBytes, ExtensionError } from '../messages.js';
import { get, keys, put, remove } from './database.js';

export interface StoredAttachment {
  name: string;
  type: string;
  size: number;
  blob: Blob;
}

const maxAttachments = 100;

export async function appendAttachmentChunk(
  sessionId: string,
  index: number,
  file: { name: string; type: string; size: number },
  offset: number,
  bytes: Uint8Array<ArrayBuffer>,
): Promise<void> {
  if (!Number.isInteger(index) || index < 0 || index >= maxAttachments) throw new ExtensionError('attachment_invalid', 'too many attachments');
  const stored = (await get<StoredAttachment[]>('attachments', sessionId)) ?? [];
  const current = stored[index];
  if (offset === 0) {
    stored[index] = { name: file.name, type: file.type || 'application/octet-stream', size: file.size, blob: new Blob([bytes]) };
  } else if (current && current.blob.size === offset) {
    stored[index] = { ...current, blob: new Blob([current.blob, bytes]) };
  } else {
    throw new ExtensionError('attachment_invalid', 'an attachment arrived out of order; try again');
  }
  if (bytes.length > attachmentChunkBytes || stored[index]!.blob.size > file.size) throw new ExtensionError('attachment_invalid', 'an attachment is longer than it said');
  await put('attachments', sessionId, stored);
}

/** The session's attachments; refuses when any is missing or incomplete. */
export async function loadAttachments(sessionId: string, expected: number): Promise<StoredAttachment[]> {
  if (expected === 0) return [];
  const stored = (await get<StoredAttachment[]>('attachments', sessionId)) ?? [];
  const complete = stored.length === expected && stored.every((file) => file !== undefined && file !== null && file.blob.size === file.size);
  if (!complete) throw new ExtensionError('attachments_changed', 'the attachments did not all arrive; try again');
  return stored;
}

export function discardAttachments(sessionId: string): Promise<void> {
  return remove('attachments', sessionId);
}

/** The sessions that have attachments stored. */
export function attachmentSessions(): Promise<string[]> {
  return keys('attachments');
}
