import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accountKey, pnrHash } from '../../../server/accounts/identity.js';
import { databasePath } from '../../../server/store/libsql/database.js';
import { openLibsqlStore } from '../../../server/store/libsql/index.js';

const run = promisify(execFile);

/** `npm run admin -- add-user …` as a user runs it: tsx on scripts/admin.ts against a data folder. */
async function admin(dataDir: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'scripts/admin.ts', ...args], { env: { ...process.env, SIGILL_DATA_DIR: dataDir, SIGILL_DATABASE_URL: '', SIGILL_ACCOUNT_KEY: '' } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('npm run admin -- add-user', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'sigill-add-user-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('adds an admin stored by the keyed hash of the personal number, under the data folder’s account key', async () => {
    const created = await admin(dataDir, 'create-sender', '--name', 'Bostadsbolaget AB');
    expect(created.code).toBe(0);
    const senderId = /\(([0-9a-f-]{36})\)/.exec(created.stdout)![1]!;
    const added = await admin(dataDir, 'add-user', '--sender', senderId, '--personal-number', '19990807-2391', '--name', 'Test Testsson', '--role', 'admin');
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toMatch(/User Test Testsson \([0-9a-f-]{36}, admin\) added/);
    expect(added.stdout + added.stderr).not.toContain('2391');

    const key = accountKey({ accountKey: '', dataDir });
    expect(readFileSync(join(dataDir, 'account.key'), 'utf8').trim()).toHaveLength(43);
    const store = openLibsqlStore(dataDir);
    try {
      const [user] = await store.accounts.usersByPnrHash(pnrHash(key, '199908072391'));
      expect(user).toMatchObject({ senderId, name: 'Test Testsson', role: 'admin' });
    } finally {
      await store.close();
    }
    const database = readFileSync(databasePath(dataDir));
    expect(database.includes('199908072391')).toBe(false);
    expect(database.includes('9908072391')).toBe(false);

    const again = await admin(dataDir, 'add-user', '--sender', senderId, '--personal-number', '199908072391', '--name', 'Test', '--role', 'member');
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already a user');
  });

  it('refuses a wrong check digit, an unknown sender and a missing role, with exit code 2', async () => {
    const created = await admin(dataDir, 'create-sender', '--name', 'Klinik');
    const senderId = /\(([0-9a-f-]{36})\)/.exec(created.stdout)![1]!;
    const luhn = await admin(dataDir, 'add-user', '--sender', senderId, '--personal-number', '199908072392', '--name', 'X', '--role', 'admin');
    expect(luhn.code).toBe(2);
    expect(luhn.stderr).toContain('--personal-number');
    expect(luhn.stderr).not.toContain('199908072392');
    const unknown = await admin(dataDir, 'add-user', '--sender', '00000000-0000-4000-8000-000000000000', '--personal-number', '199908072391', '--name', 'X', '--role', 'admin');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no live sender');
    expect((await admin(dataDir, 'add-user', '--sender', senderId, '--personal-number', '199908072391', '--name', 'X')).code).toBe(2);
  });
});
