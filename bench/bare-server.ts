/**
 * The baseline for the server benchmarks: a bare node:http server doing the same
 * storage work as Sigill for the same requests, and nothing else (no routing
 * framework, no validation, no auth, no logging): insert a message row, write a
 * 64 KiB blob file (flushed and renamed into place) and mark it stored, or read a link
 * row by a point select and answer JSON. Run as a child process; prints its URL.
 */
import { createWriteStream, mkdirSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join } from 'node:path';
import Database from 'libsql';

const dataDir = process.argv[2]!;
mkdirSync(join(dataDir, 'blobs'), { recursive: true });
const db = new Database(join(dataDir, 'bare.db'));
db.exec('PRAGMA journal_mode = WAL');
db.exec('PRAGMA synchronous = NORMAL');
db.exec(`CREATE TABLE IF NOT EXISTS messages (id TEXT PRIMARY KEY, body TEXT NOT NULL, stored INTEGER NOT NULL DEFAULT 0);
         CREATE TABLE IF NOT EXISTS links (id TEXT PRIMARY KEY, message_id TEXT NOT NULL, readers TEXT NOT NULL)`);
const insert = db.prepare('INSERT INTO messages (id, body) VALUES (?, ?)');
const insertLink = db.prepare('INSERT INTO links (id, message_id, readers) VALUES (?, ?, ?)');
const markStored = db.prepare('UPDATE messages SET stored = 1 WHERE id = ?');
const readLink = db.prepare('SELECT l.id, l.message_id, m.body FROM links l JOIN messages m ON m.id = l.message_id WHERE l.id = ?');

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  const [, , , resource, id, , index] = request.url!.split('/');
  if (request.method === 'POST') {
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { messageId: string; recipients: { linkId: string; tags: unknown }[] };
      insert.run(body.messageId, JSON.stringify(body));
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
