import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'libsql';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { databasePath, openDatabase, type Db } from '../../../server/store/libsql/database.js';
import { batchedWrite, inTransaction } from '../../../server/store/libsql/transactions.js';

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
    const writes = [batchedWrite(db, () => put('a')), batchedWrite(db, () => put('b'))];
    expect(committedKeys()).toEqual([]);
    await Promise.all(writes);
    expect(committedKeys()).toEqual(['a', 'b']);
  });

  it('rolls back a failing write alone', async () => {
    const good = batchedWrite(db, () => put('a'));
    const bad = batchedWrite(db, () => {
      put('b');
      put('a'); // duplicate key
    });
    const after = batchedWrite(db, () => put('c'));
    await expect(bad).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_PRIMARYKEY' });
    await Promise.all([good, after]);
    expect(committedKeys()).toEqual(['a', 'c']);
  });

  it('lets inTransaction join an open batch, and stand alone otherwise', async () => {
    const batched = batchedWrite(db, () => put('a'));
    inTransaction(db, () => put('b'));
    expect(committedKeys()).toEqual([]);
    await batched;
    expect(committedKeys()).toEqual(['a', 'b']);
    inTransaction(db, () => put('c'));
    expect(committedKeys()).toEqual(['a', 'b', 'c']);
    expect(() => inTransaction(db, () => put('c'))).toThrow();
    expect(db.inTransaction).toBe(false);
  });
});
