import type Database from 'libsql';
import type { BlobStore } from '../server/store/blob-store.js';

/** A migration that cannot start or did not finish; the message says why, with no secret. */
export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}

/**
 * Which payloads `migrate-store` copies, checked against the messages first: every
 * payload of a ready message must be in the data folder with its exact length (or the
 * migration stops before writing anything); an uploading message's stored payloads are
 * copied (it may finish uploading on the new store). Expired and revoked messages'
 * payloads and files of no message are left behind, and counted.
 */
export interface PayloadPlan {
  copy: { messageId: string; index: number; length: number }[];
  /** Bytes in `copy`. */
  bytes: number;
  /** Payload files of expired or revoked messages not yet purged. */
  skippedDead: number;
  /** Payload files that belong to no message. */
  skippedOrphans: number;
}

export async function planPayloads(source: InstanceType<typeof Database>, blobs: BlobStore): Promise<PayloadPlan> {
  const plan: PayloadPlan = { copy: [], bytes: 0, skippedDead: 0, skippedOrphans: 0 };
  const messages = new Set<string>();
  const rows = source.prepare('SELECT id, state, payload_lengths FROM messages ORDER BY rowid').all() as { id: string; state: string; payload_lengths: string }[];
  for (const { id, state, payload_lengths } of rows) {
    messages.add(id);
    const lengths = JSON.parse(payload_lengths) as number[];
    for (const [index, length] of lengths.entries()) {
      const size = await blobs.size(id, index);
      if (state === 'expired' || state === 'revoked') {
        if (size !== undefined) plan.skippedDead++;
        continue;
      }
      if (size === undefined && state === 'uploading') continue;
      if (size !== length) {
        throw new MigrationError(`payload ${index} of the ${state} message ${id} has ${size ?? 'no'} bytes in the data folder, not ${length}: is SIGILL_DATA_DIR the folder the server uses?`);
      }
      plan.copy.push({ messageId: id, index, length });
      plan.bytes += length;
    }
  }
  for await (const entry of blobs.list()) {
    if (!messages.has(entry.messageId)) plan.skippedOrphans++;
  }
  return plan;
}
