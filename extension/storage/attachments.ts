/**
 * Attachments on their way from the compose frame to the service worker. Extension
 * messaging carries JSON only in Chromium, so the frame stores the picked or dropped
 * files (as Blobs, which IndexedDB keeps by structured clone) under the compose session,
 * and the worker takes them when it seals. They are removed once sealed or discarded.
 *
 * @example
 * await storeAttachments(sessionId, files);
 * const files = await loadAttachments(sessionId, 2);
 */
import { ExtensionError } from '../messages.js';
import { get, put, remove } from './database.js';

export interface StoredAttachment {
  name: string;
  type: string;
  blob: Blob;
}

export async function storeAttachments(sessionId: string, files: readonly File[]): Promise<void> {
  const stored: StoredAttachment[] = files.map((file) => ({ name: file.name, type: file.type || 'application/octet-stream', blob: file }));
  await put('attachments', sessionId, stored);
}

/** The session's attachments; refuses when the count differs from what the frame declared. */
export async function loadAttachments(sessionId: string, expected: number): Promise<StoredAttachment[]> {
  const stored = (await get<StoredAttachment[]>('attachments', sessionId)) ?? [];
  if (stored.length !== expected) throw new ExtensionError('attachments_changed', 'the attachments changed while sending; try again');
  return stored;
}

export function discardAttachments(sessionId: string): Promise<void> {
  return remove('attachments', sessionId);
}
