import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'libsql';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databasePath, openDatabase, type Db } from '../../../server/store/libsql/database.js';
import { inTransaction } from '../../../server/store/libsql/transactions.js';

let dataDir: string;
let db: Db;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'sigill-tx-'));
  db = openDatabase(dataDir);
});
afterEach(() => {
  db.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const put = (key: string) => db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run(key, 'v');
/** What another process sees: only committed rows. */
function committedKeys(): string[] {
  const other = new Database(databasePath(dataDir));
  try {
    return (other.prepare('SELECT key FROM meta ORDER BY key').all() as { key: string }[]).map((row) => row.key);
  } finally {
    other.close();
  }
}

describe('group commit', () => {
  it('commits concurrent writes together, and resolves each only after the commit', async () => {
    const writes = [inTransaction(db, () => put('a')), inTransaction(db, () => put('b'))];
    expect(committedKeys()).toEqual([]);
    await Promise.all(writes);
    expect(committedKeys()).toEqual(['a', 'b']);
  });

  it('rolls back a failing write alone', async () => {
    const good = inTransaction(db, () => put('a'));
    const bad = inTransaction(db, () => {
      put('b');
      put('a'); // duplicate key
    });
    const after = inTransaction(db, () => put('c'));
    await expect(bad).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_PRIMARYKEY' });
    await Promise.all([good, after]);
    expect(committedKeys()).toEqual(['a', 'c']);
  });

  it("waits for another process's write lock without stopping the event loop, then commits", async () => {
    const other = new Database(databasePath(dataDir));
    try {
      other.prepare('BEGIN IMMEDIATE').run(); // another worker holds SQLite's one write lock
      let settled = false;
      const write = inTransaction(db, () => put('a')).then(() => (settled = true));
      await new Promise((resolve) => setTimeout(resolve, 50)); // the event loop goes on (SQLite's busy handler would stop it)
      expect(settled).toBe(false);
      expect(db.inTransaction).toBe(false); // it holds nothing while it waits
      other.prepare('COMMIT').run();
      await write;
      expect(committedKeys()).toEqual(['a']);
    } finally {
      other.close();
    }
  });

  it('rolls back a lone failing write and leaves nothing open', async () => {
    await inTransaction(db, () => put('a'));
    await expect(inTransaction(db, () => put('a'))).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_PRIMARYKEY' });
    expect(db.inTransaction).toBe(false);
    await inTransaction(db, () => put('b'));
    expect(committedKeys()).toEqual(['a', 'b']);
  });
});
