import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'libsql';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databasePath } from '../../../server/store/libsql/database.js';
import { openLibsqlStore } from '../../../server/store/libsql/index.js';
import { migrations } from '../../../server/store/libsql/migrations.js';

/** A data folder from before the storage layer (migration 1 only) opens and keeps working. */
let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'sigill-migrate-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

describe('[libsql] migrations', () => {
  it('upgrade a version 1 database: labels and sender copies are null, a half-uploaded message completes', async () => {
    const old = new Database(databasePath(dataDir));
    old.exec(migrations[0]!);
    old.exec('PRAGMA user_version = 1');
    old.exec("INSERT INTO senders (id, name, created_at) VALUES ('s', 'Klinik', 1)");
    old.exec(`INSERT INTO messages (id, sender_id, errand, auth_verifier, receipt_key, state, payload_lengths, payloads_stored, created_at, expires_at)
              VALUES ('m', 's', 'e', 'v', 'k', 'uploading', '[10,20]', 1, 1, 9999999999999)`);
    old.exec(`INSERT INTO links (id, message_id, readers) VALUES ('l', 'm', '"*"')`);
    old.close();

    const store = openLibsqlStore(dataDir);
    try {
      expect(store.db.prepare('PRAGMA user_version').get()).toMatchObject({ user_version: migrations.length });
      const details = await store.messages.details('m');
      expect(details?.message.senderCopy).toBeNull();
      expect(details?.links[0]?.label).toBeNull();
      // Payload 0 was counted before stored_payloads existed; payload 1 completes the message.
      expect(await store.messages.countStoredPayload('m', 1)).toBe('ready');
      expect((await store.links.live('l'))?.state).toBe('ready');
    } finally {
      await store.close();
    }
  });
});
