import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseContent } from '../../shared/content.js';
import { deriveKeys } from '../../shared/keys.js';
import { sealMessage } from '../../shared/seal-message.js';
import { openBytes } from '../../shared/stream.js';
import { createApp } from '../../server/app.js';
import type { AppDeps } from '../../server/deps.js';
import { createSender, revokeSender } from '../../server/senders/senders.js';
import { parseBlobUrl } from '../../server/store/blob-config.js';
import { openPostgresStore, type PostgresStore } from '../../server/store/postgres/index.js';
import { createS3BlobStore } from '../../server/store/s3-blobs.js';
import type { BlobStore } from '../../server/store/blob-store.js';
import { StoreError } from '../../server/store/errors.js';
import { migrateStore as migrateStoreInProcess } from '../../scripts/migrate-store.js';
import { origin, Recipient, startBankId, startServer, verifyAs, type TestServer } from '../server/harness.js';
import type { SimulatorFixture } from '../server/bankid/simulator-fixture.js';
import { freshDatabase, type TestDatabase } from '../support/postgres.js';
import { startS3Server, type TestS3Server } from '../support/s3.js';

/**
 * Acceptance 4 of issue 11: `npm run admin -- migrate-store` moves a data folder with
 * messages in every state into PostgreSQL and an S3 bucket (s3rver), and a server on
 * the new store carries on where the old one stopped.
 */
const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
const anna = '199908072391';

let bankId: SimulatorFixture;
let source: TestServer;
let s3: TestS3Server;
const sent: Record<string, Awaited<ReturnType<TestServer['send']>>> = {};

/** `npm run admin -- migrate-store …` on the source's data folder; never throws. */
async function migrateStore(args: string[], dataDir = source.dataDir): Promise<{ code: number; output: string }> {
  const env = { ...process.env, SIGILL_DATA_DIR: dataDir, SIGILL_S3_ACCESS_KEY_ID: s3.credentials.accessKeyId, SIGILL_S3_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey };
  return run(process.execPath, ['--import', 'tsx', 'scripts/admin.ts', 'migrate-store', ...args], { cwd: root, env }).then(
    ({ stdout, stderr }) => ({ code: 0, output: stdout + stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, output: error.stdout + error.stderr }),
  );
}

/**
 * Every file of the data folder with a hash of its bytes, but for SQLite's -shm: that is
 * the readers' shared lock and index memory, which every reader writes to (not data).
 */
function fingerprint(folder: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (path: string) => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const full = join(path, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (!entry.name.endsWith('-shm')) files[full.slice(folder.length)] = `${statSync(full).size}:${createHash('sha256').update(readFileSync(full)).digest('hex')}`;
    }
  };
  walk(folder);
  return files;
}

beforeAll(async () => {
  bankId = await startBankId();
  source = await startServer(bankId);
  s3 = await startS3Server();
  const clock = bankId.clock;
  const attachment = { name: 'avtal.pdf', type: 'application/pdf', size: 100_000, open: () => new Blob([new Uint8Array(100_000).fill(7)]).stream() };
  // Ready, opened through BankID: a read, a receipt, a release token.
  sent.opened = await source.send({ recipients: [{ readers: [`se-pnr:${anna}`] }], text: 'Redan läst', attachments: [attachment] });
  const opened = await verifyAs(source, bankId, new Recipient(source.app, sent.opened.links[0]!), anna);
  expect(opened.state.status).toBe('approved');
  // Ready, never opened, with an SMS delivery and a verification left pending.
  sent.fresh = await source.send({ recipients: [{ readers: '*' }, { readers: [`se-pnr:${anna}`] }], text: 'Hej efter flytten!', attachments: [attachment], readLimit: 2 });
  expect((await source.api('POST', `/api/v1/messages/${sent.fresh.request.messageId}/sms`, { linkId: sent.fresh.request.recipients[0]!.linkId, to: '070-123 45 67', text: sent.fresh.links[0]! })).status).toBe(202);
  const pending = new Recipient(source.app, sent.fresh.links[1]!);
  const info = (await (await pending.request(`/api/v1/links/${pending.linkId}`)).json()) as { messageId: string };
  expect((await pending.start(info.messageId)).status).toBe(201);
  // Uploading: created, one of its two payloads stored.
  const uploading = await sealMessage({ origin, errand: 'Halvvägs', text: 'x', attachments: [attachment], recipients: [{ readers: '*' }], receiptKey: source.receiptKeys.receiptKey });
  expect((await source.api('POST', '/api/v1/messages', uploading.request)).status).toBe(201);
  const first = uploading.payloads[0]!;
  const put = await source.app.request(`/api/v1/messages/${uploading.request.messageId}/payloads/0`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${source.token}`, 'content-type': 'application/octet-stream' },
    body: first.stream(),
    duplex: 'half',
  } as RequestInit);
  expect(put.status).toBe(200);
  sent.uploading = uploading;
  // Revoked, and expired (not yet purged: its payloads are still in the folder).
  sent.revoked = await source.send({ recipients: [{ readers: '*' }] });
  expect((await source.api('DELETE', `/api/v1/messages/${sent.revoked.request.messageId}`)).status).toBeLessThan(300);
  sent.expired = await source.send({ recipients: [{ readers: '*' }], expiresAt: new Date(clock.now() + 20 * 60_000).toISOString() });
  clock.advance(20 * 60_000);
  expect(await source.deps.store.messages.expireDue(clock.now())).toEqual([sent.expired.request.messageId]);
  // A revoked sender beside the live one.
  const old = await createSender(source.deps.store.senders, 'Gamla Bolaget AB', clock.now());
  expect(await revokeSender(source.deps, old.sender.id, clock.now())).toEqual({ revoked: true, messages: 0 });
});

afterAll(async () => {
  await source?.close();
  await s3?.close();
  await bankId?.close();
});

describe('migrate-store', () => {
  let database: TestDatabase;
  let target: PostgresStore;
  let server: TestServer;
  let before: Record<string, string>;
  let output: string;

  beforeAll(async () => {
    database = await freshDatabase();
    before = fingerprint(source.dataDir);
    const result = await migrateStore(['--to', database.url, '--blobs', s3.blobUrl]);
    output = result.output;
    expect(result.code, output).toBe(0);
    if (process.env.SHOW_MIGRATION) console.log(output);
    target = await openPostgresStore(database.url);
    const blobs = createS3BlobStore(parseBlobUrl(s3.blobUrl, { SIGILL_S3_ACCESS_KEY_ID: 'S3RVER', SIGILL_S3_SECRET_ACCESS_KEY: 'S3RVER' }));
    const logger = pino({ level: 'silent' }, new Writable({ write: (_chunk, _encoding, done) => done() }));
    const deps: AppDeps = { ...source.deps, store: target, blobs, logger };
    // The same test sender and BankID simulator, now served from PostgreSQL and the bucket.
    server = { ...source, deps, app: createApp(deps) };
  });
  afterAll(async () => {
    await target?.close();
  });

  it('copies every row: the counts of every table match the data folder', async () => {
    const tables = (await source.rows<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")).map((row) => row.name);
    expect(tables).toEqual(expect.arrayContaining(['messages', 'links', 'receipts', 'verifications', 'release_tokens', 'rate_limits', 'deliveries', 'api_tokens']));
    for (const table of tables) {
      const [mine] = await source.rows<{ n: number }>(`SELECT count(*) AS n FROM ${table}`);
      const theirs = await target.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
      expect(Number(theirs.rows[0]!.n), table).toBe(mine!.n);
    }
    expect(output).toMatch(/every table's count matches/);
    expect(output).toMatch(/payloads: 5 of 5/);
  });

  it('copies the payloads of ready and uploading messages with their lengths, and leaves the data folder untouched', async () => {
    for (const [name, index] of [['opened', 0], ['opened', 1], ['fresh', 0], ['fresh', 1], ['uploading', 0]] as const) {
      expect(await server.deps.blobs.size(sent[name]!.request.messageId, index), `${name} ${index}`).toBe(sent[name]!.request.payloads[index]!.length);
    }
    expect(await server.deps.blobs.size(sent.uploading!.request.messageId, 1)).toBeUndefined();
    expect(await server.deps.blobs.size(sent.expired!.request.messageId, 0)).toBeUndefined();
    expect(fingerprint(source.dataDir)).toEqual(before);
  });

  it('opens a ready message end to end through a server on the new store', async () => {
    const recipient = new Recipient(server.app, sent.fresh!.links[0]!);
    const { state } = await verifyAs(server, bankId, recipient, anna);
    expect(state.status).toBe('approved');
    const releaseToken = (state as { releaseToken: string }).releaseToken;
    const response = await recipient.request(`/api/v1/links/${recipient.linkId}/payloads/0`, { headers: { authorization: `Bearer ${releaseToken}` } });
    expect(response.status).toBe(200);
    const keys = deriveKeys(sent.fresh!.secret, Buffer.from(sent.fresh!.request.messageId, 'base64url'));
    const content = parseContent(await openBytes(keys.payload(0), new Uint8Array(await response.arrayBuffer())));
    expect(content.text).toBe('Hej efter flytten!');
    const status = (await (await server.api('GET', `/api/v1/messages/${sent.opened!.request.messageId}`)).json()) as { links: { reads: number }[]; receipts: unknown[] };
    expect(status.links[0]!.reads).toBe(1);
    expect(status.receipts).toHaveLength(1);
    // New rows with sequence ids (a receipt above, a delivery here) come after the copied ones.
    const sms = await server.api('POST', `/api/v1/messages/${sent.fresh!.request.messageId}/sms`, { linkId: sent.fresh!.request.recipients[0]!.linkId, to: '070-765 43 21', text: sent.fresh!.links[0]! });
    expect(sms.status).toBe(202);
  });

  it('keeps expired and revoked messages refused, and the uploading one uploading', async () => {
    for (const [name, code] of [['expired', 'link_expired'], ['revoked', 'link_revoked']] as const) {
      const recipient = new Recipient(server.app, sent[name]!.links[0]!);
      const response = await recipient.request(`/api/v1/links/${recipient.linkId}`);
      expect(response.status, name).toBe(410);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe(code);
    }
    expect((await target.messages.get(sent.uploading!.request.messageId))?.state).toBe('uploading');
  });

  it('refuses a target that is not empty, and changes nothing there', async () => {
    const again = await migrateStore(['--to', database.url, '--blobs', s3.blobUrl]);
    expect(again.code).toBe(1);
    expect(again.output).toMatch(/target database is not empty/);
    const elsewhere = await freshDatabase();
    const bucketInUse = await migrateStore(['--to', elsewhere.url, '--blobs', s3.blobUrl]);
    expect(bucketInUse.code).toBe(1);
    expect(bucketInUse.output).toMatch(/already holds payloads/);
    expect(await elsewhere.cluster.psql(elsewhere.name, 'SELECT count(*) FROM messages')).toBe('0\n');
  });

  it('without --blobs, copies the rows and leaves the payloads in the data folder, checked', async () => {
    const alone = await freshDatabase();
    const result = await migrateStore(['--to', alone.url]);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toMatch(/payloads stay in the data folder/);
    expect(result.output).toMatch(/SIGILL_DATABASE_URL \(and the same SIGILL_DATA_DIR/);
    const [messages] = await source.rows<{ n: number }>('SELECT count(*) AS n FROM messages');
    expect(await alone.cluster.psql(alone.name, 'SELECT count(*) FROM messages')).toBe(`${messages!.n}\n`);
  });

  it('leaves the target empty when copying the payloads fails part-way', async () => {
    const real = createS3BlobStore(parseBlobUrl(s3.blobUrl.replace(`s3://${s3.bucket}`, `s3://${s3.bucket}/failing`), { SIGILL_S3_ACCESS_KEY_ID: 'S3RVER', SIGILL_S3_SECRET_ACCESS_KEY: 'S3RVER' }));
    let puts = 0;
    // The real bucket, with its third upload failing as a dropped connection would.
    const failing: BlobStore = {
      ...real,
      async put(...args) {
        if (++puts === 3) throw new StoreError('unavailable', 'the object store cannot be reached');
        return real.put(...args);
      },
    };
    const empty = await freshDatabase();
    const lines: string[] = [];
    const migration = migrateStoreInProcess({ dataDir: source.dataDir, databaseUrl: empty.url, blobs: failing, progress: (line) => lines.push(line) });
    await expect(migration).rejects.toMatchObject({ code: 'unavailable' });
    expect(lines.join('\n')).toMatch(/deleting the 2 payloads copied so far/);
    const stored = [];
    for await (const entry of real.list()) stored.push(entry);
    expect(stored).toEqual([]);
    const tables = await empty.cluster.psql(empty.name, "SELECT string_agg(table_name, ',') FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'schema_migrations'");
    const counts = await empty.cluster.psql(empty.name, tables.trim().split(',').map((table) => `SELECT count(*) FROM ${table}`).join(' UNION ALL '));
    expect(counts.trim().split('\n').every((count) => count === '0')).toBe(true);
  });

  it('stops before writing anything when a ready message lacks a payload, or the database is someone else\'s', async () => {
    const damaged = mkdtempSync(join(tmpdir(), 'sigill-damaged-'));
    try {
      cpSync(source.dataDir, damaged, { recursive: true });
      const id = sent.fresh!.request.messageId;
      rmSync(join(damaged, 'blobs', id.slice(0, 2), `${id}.1`));
      const empty = await freshDatabase();
      const result = await migrateStore(['--to', empty.url], damaged);
      expect(result.code).toBe(1);
      expect(result.output).toMatch(/payload 1 of the ready message .* has no bytes in the data folder/);
      expect(await empty.cluster.psql(empty.name, 'SELECT (SELECT count(*) FROM messages) + (SELECT count(*) FROM senders) + (SELECT count(*) FROM meta)')).toBe('0\n');
      const foreign = await freshDatabase();
      await foreign.cluster.psql(foreign.name, 'CREATE TABLE invoices (id int)');
      const refused = await migrateStore(['--to', foreign.url]);
      expect(refused.code).toBe(1);
      expect(refused.output).toMatch(/holds other tables \(invoices\)/);
    } finally {
      rmSync(damaged, { recursive: true, force: true });
    }
  });
});
