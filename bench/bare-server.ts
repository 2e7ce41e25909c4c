/**
 * The baseline for the server benchmarks: a bare node:http server doing the same
 * storage work as Sigill for the same requests, and nothing else (no routing
 * framework, no validation, no auth, no logging): insert a message row, write a blob
 * file (flushed and renamed into place) and mark it stored; read a link row by a point
 * select and answer JSON; or fetch a payload with a release token: one SHA-256 of the
 * token, one point select (the token with its link and message), then the file, read in
 * one call and sent as one buffer up to 256 KiB, else piped from a file stream, with the
 * same response headers as Sigill's. Run as a child process; prints its URL.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync, readFile } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { pipeline } from 'node:stream';
import Database from 'libsql';

const dataDir = process.argv[2]!;
mkdirSync(join(dataDir, 'blobs'), { recursive: true });
const db = new Database(join(dataDir, 'bare.db'));
db.exec('PRAGMA journal_mode = WAL');
db.exec('PRAGMA synchronous = NORMAL');
db.exec(`CREATE TABLE IF NOT EXISTS messages (id TEXT PRIMARY KEY, body TEXT NOT NULL, payload_length INTEGER NOT NULL, stored INTEGER NOT NULL DEFAULT 0);
         CREATE TABLE IF NOT EXISTS links (id TEXT PRIMARY KEY, message_id TEXT NOT NULL, readers TEXT NOT NULL);
         CREATE TABLE IF NOT EXISTS release_tokens (token_hash TEXT PRIMARY KEY, link_id TEXT NOT NULL, expires_at INTEGER NOT NULL)`);
const insert = db.prepare('INSERT INTO messages (id, body, payload_length) VALUES (?, ?, ?)');
const insertLink = db.prepare('INSERT INTO links (id, message_id, readers) VALUES (?, ?, ?)');
const insertToken = db.prepare('INSERT INTO release_tokens (token_hash, link_id, expires_at) VALUES (?, ?, ?)');
const markStored = db.prepare('UPDATE messages SET stored = 1 WHERE id = ?');
const readLink = db.prepare('SELECT l.id, l.message_id, m.body FROM links l JOIN messages m ON m.id = l.message_id WHERE l.id = ?');
const readRelease = db
  .prepare('SELECT r.link_id, r.expires_at, l.message_id, m.payload_length FROM release_tokens r JOIN links l ON l.id = r.link_id JOIN messages m ON m.id = l.message_id WHERE r.token_hash = ?')
  .raw(true);
const hashOf = (text: string) => createHash('sha256').update(text).digest('base64url');

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  const [, , , resource, id, action, index] = request.url!.split('/');
  if (request.method === 'POST') {
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (action === 'release') {
        const { token } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { token: string };
        insertToken.run(hashOf(token), id, Date.now() + 3_600_000);
        response.writeHead(201).end();
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { messageId: string; payloads: { length: number }[]; recipients: { linkId: string; tags: unknown }[] };
      insert.run(body.messageId, JSON.stringify(body), body.payloads[0]!.length);
      for (const recipient of body.recipients) insertLink.run(recipient.linkId, body.messageId, JSON.stringify(recipient.tags));
      response.writeHead(201, { 'content-type': 'application/json' }).end('{"state":"uploading"}');
    });
  } else if (request.method === 'PUT') {
    const target = join(dataDir, 'blobs', `${id}.${index}`);
    const out = createWriteStream(`${target}.part`);
    request.pipe(out);
    out.on('finish', async () => {
      const handle = await open(`${target}.part`, 'r');
      await handle.sync();
      await handle.close();
      await rename(`${target}.part`, target);
      markStored.run(id);
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"state":"ready"}');
    });
  } else if (resource === 'links' && action === 'payloads') {
    const token = /^Bearer ([A-Za-z0-9_-]{22})$/.exec(request.headers.authorization ?? '')?.[1];
    const row = token ? (readRelease.get(hashOf(token)) as [string, number, string, number] | undefined) : undefined;
    if (!row || row[0] !== id || row[1] <= Date.now()) {
      response.writeHead(401).end();
      return;
    }
    const [, , messageId, length] = row;
    const path = join(dataDir, 'blobs', `${messageId}.${index}`);
    // The headers Sigill's answer carries, so that both put the same bytes on the wire.
    const headers = {
      'x-request-id': randomUUID(),
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'content-type': 'application/octet-stream',
      'content-length': length,
      'cache-control': 'no-store',
      'accept-ranges': 'bytes',
    };
    if (length <= 256 * 1024) {
      readFile(path, (error, bytes) => (error ? response.writeHead(404).end() : response.writeHead(200, headers).end(bytes)));
    } else {
      response.writeHead(200, headers);
      pipeline(createReadStream(path, { highWaterMark: 256 * 1024 }), response, () => undefined);
    }
  } else if (resource === 'links') {
    const row = readLink.get(id) as { id: string; message_id: string; body: string } | undefined;
    response.writeHead(row ? 200 : 404, { 'content-type': 'application/json' }).end(JSON.stringify(row ?? {}));
  } else {
    response.writeHead(404).end();
  }
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address() as { port: number };
  console.log(`listening http://127.0.0.1:${address.port}`);
});
// A signal ends the process through exit, so BENCH_CPU_PROF's profile is written.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(0));
