/**
 * The reviewer's audit command (`npm run audit`, scripts/audit.ts) on what a real
 * server process left behind after a message was sent and read: every column is
 * reported and nothing is found (exit 0), also after the issue 13 flows (a webhook
 * endpoint with delivery events queued, an SMS and an email relayed by the server, the
 * sender's Reply-To set with the admin command); after a personal identity number, an email
 * address and a plain-text payload are planted, each is reported where it is (exit 1).
 * On a libsql data folder (a copy of it is planted into) and on PostgreSQL + S3.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'libsql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBankIdSimulator, type BankIdSimulator } from '../../../server/bankid/index.js';
import { databasePath } from '../../../server/store/libsql/database.js';
import { schemaDescription } from '../../../scripts/audit/schema.js';
import type { AuditReport } from '../../../scripts/audit/inspect.js';
import { backends, type OpenedBackend } from '../backends.js';
import { simulatorEnv, startServerProcess, type ServerProcess } from '../server-process.js';
import { emailBody } from '../../../client/texts.js';
import type { SealedMessage } from '../../../shared/seal-message.js';
import { sealWith, sendThrough, verifyThrough } from './real-flow.js';

const run = promisify(execFile);
const repository = join(import.meta.dirname, '..', '..', '..');

let simulator: BankIdSimulator;
let root: string;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'sigill-audit-'));
  simulator = await startBankIdSimulator({ dataDir: join(root, 'bankid') });
});
afterAll(async () => {
  await simulator.close();
  rmSync(root, { recursive: true, force: true });
});

async function auditCommand(args: string[], env: Record<string, string> = {}): Promise<{ code: number; report: AuditReport & { ok: boolean } }> {
  try {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/audit.ts', ...args, '--json'], {
      cwd: repository,
      env: { ...process.env, SIGILL_DATABASE_URL: '', SIGILL_BLOB_URL: '', ...env },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, report: JSON.parse(stdout) };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    if (!failed.stdout) throw new Error(`audit failed (${failed.code}): ${failed.stderr}`);
    return { code: failed.code, report: JSON.parse(failed.stdout) };
  }
}

/** The described columns of every table the back end has. */
function describedColumns(report: AuditReport) {
  return Object.fromEntries(report.tables.map(({ table, columns }) => [table, columns.map((c) => c.column).sort()]));
}

/**
 * Issue 13's flows on the running server: a webhook endpoint (its delivery.* events are
 * queued), the sender's Reply-To set by `npm run admin -- set-reply-to`, and an SMS and an
 * email relayed through POST …/deliveries (the development outboxes keep them in memory).
 */
async function deliveryFlows(server: ServerProcess, sealed: SealedMessage, env: Record<string, string>): Promise<void> {
  const admin = (...args: string[]) => run(process.execPath, ['--import', 'tsx', 'scripts/admin.ts', ...args], { cwd: repository, env: { ...process.env, ...simulatorEnv(simulator), ...env } });
  const senderId = /^(\S+)\s/.exec((await admin('list-senders')).stdout)![1]!;
  await admin('set-reply-to', '--sender', senderId, '--address', 'kundtjanst@bostadsbolaget.se');
  const post = (path: string, body: unknown) =>
    fetch(`${server.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect((await post('/api/v1/webhooks', { url: 'http://127.0.0.1:9/hooks' })).status).toBe(201);
  const { messageId } = sealed.request;
  const linkId = sealed.request.recipients[0]!.linkId;
  const link = sealed.links[0]!;
  const sms = await post(`/api/v1/messages/${messageId}/deliveries`, { channel: 'sms', linkId, to: '070-123 45 67', text: `Ditt avtal: ${link}` });
  const email = await post(`/api/v1/messages/${messageId}/deliveries`, { channel: 'email', linkId, to: 'anna.andersson@example.se', text: emailBody('Ditt avtal', link, 'sv') });
  expect([sms.status, email.status]).toEqual([202, 202]);
  expect([((await sms.json()) as { status: string }).status, ((await email.json()) as { status: string }).status]).toEqual(['sent', 'sent']);
}

describe.each(backends)('[$name] npm run audit', (backend) => {
  let opened: OpenedBackend;
  let dataDir: string;
  let logFile: string;
  let args: string[];
  let env: Record<string, string>;
  let messageId: string;

  beforeAll(async () => {
    dataDir = join(root, backend.name);
    opened = await backend.open(dataDir);
    env = opened.env;
    const server = await startServerProcess({ ...simulatorEnv(simulator), ...env, SIGILL_DATA_DIR: dataDir, SIGILL_COLLECT_INTERVAL_MS: '100', SIGILL_DEMO_SENDER: 'true', SIGILL_LOG_LEVEL: 'info' });
    try {
      const sealed = await sealWith([200_000]);
      messageId = sealed.request.messageId;
      await sendThrough(server, sealed);
      const { browser, linkId, releaseToken } = await verifyThrough(server, simulator, sealed);
      for (const index of [0, 1]) {
        const payload = await browser.fetch(`${server.url}/api/v1/links/${linkId}/payloads/${index}`, { headers: { authorization: `Bearer ${releaseToken}` } });
        expect(payload.status).toBe(200);
        await payload.arrayBuffer();
      }
      await deliveryFlows(server, sealed, { ...env, SIGILL_DATA_DIR: dataDir });
    } finally {
      await server.stop();
    }
    logFile = join(root, `${backend.name}.log`);
    // Not the start-up text: it prints the demo sender's token (a secret, not personal data) and URLs.
    writeFileSync(logFile, server.output.filter((chunk) => chunk.trimStart().startsWith('{')).join(''));
    args = backend.name === 'libsql' ? ['--data', dataDir] : ['--database', env.SIGILL_DATABASE_URL!, '--blobs', env.SIGILL_BLOB_URL!];
  }, 180_000);
  afterAll(async () => opened?.close());

  it('reports every column of the live schema, finds nothing in a real flow’s data and logs, and exits 0', async () => {
    const { code, report } = await auditCommand([...args, '--logs', logFile], env);
    expect(report.findings).toEqual([]);
    expect(code).toBe(0);
    expect(report.ok).toBe(true);
    for (const { table, columns } of report.tables) {
      for (const column of columns) expect(schemaDescription[table]?.[column.column], `${table}.${column.column}`).toEqual({ kind: column.kind, holds: column.holds });
    }
    const tables = describedColumns(report);
    expect(tables.messages).toContain('errand');
    expect(tables.links).toContain('label');
    expect(report.tables.find((t) => t.table === 'messages')!.rows).toBe(1);
    // The delivery flows ran: two deliveries, their delivery.sent events queued, the Reply-To sealed.
    expect(report.tables.find((t) => t.table === 'deliveries')!.rows).toBe(2);
    expect(report.tables.find((t) => t.table === 'webhook_jobs')!.rows).toBeGreaterThanOrEqual(2);
    expect(tables.senders).toContain('sealed_reply_to');
    expect(report.blobs.count).toBe(2);
    if (backend.name === 'libsql') expect(report.files.map((f) => f.name)).toContain(databasePath(dataDir));
  });

  it('reports a planted personal identity number, email address and plain-text payload with where each is, and exits 1', async () => {
    const plainText = Buffer.from('Hej Anna! Här är ditt hyresavtal i klartext. '.repeat(2000));
    let target = args;
    if (backend.name === 'libsql') {
      const copy = join(root, 'planted-copy');
      cpSync(dataDir, copy, { recursive: true });
      const db = new Database(databasePath(copy));
      db.prepare('UPDATE links SET label = ?').run('199908072391');
      db.prepare("UPDATE senders SET name = 'anna.andersson@example.se'").run();
      db.close();
      const blobsRoot = join(copy, 'blobs');
      const blob = readdirSync(blobsRoot, { recursive: true, encoding: 'utf8' }).find((name) => name.endsWith(`${messageId}.1`))!;
      writeFileSync(join(blobsRoot, blob), plainText.subarray(0, 200_000 + 16 * 4));
      target = ['--data', copy];
    } else {
      await opened.rows('UPDATE links SET label = ?', '199908072391');
      await opened.rows("UPDATE senders SET name = 'anna.andersson@example.se'");
      await opened.blobs.deleteMessage(messageId, 2);
      const bytes = plainText.subarray(0, 200_000 + 16 * 4);
      await opened.blobs.put(messageId, 1, bytes.length, [bytes]);
    }
    const { code, report } = await auditCommand(target, env);
    expect(code).toBe(1);
    const where = (what: RegExp) => report.findings.filter((f) => what.test(f.what)).map((f) => f.where);
    expect(where(/personal identity number/)).toContain('links.label');
    expect(where(/email address/)).toContain('senders.name');
    expect(where(/readable text/).some((place) => place.endsWith(`${messageId}.1`))).toBe(true);
    // The findings never carry the values.
    expect(JSON.stringify(report)).not.toContain('199908072391');
    expect(JSON.stringify(report)).not.toContain('anna.andersson');
  });
});
