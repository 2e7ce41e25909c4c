/**
 * Where the audit reads: a libsql data folder (read-only: the database, its WAL and
 * the blob folder) or a PostgreSQL database, and a blob store (the data folder's blobs
 * or an S3 bucket named like SIGILL_BLOB_URL, with SIGILL_S3_* credentials).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Database from 'libsql';
import pg from 'pg';
import { parseBlobUrl } from '../../server/store/blob-config.js';
import { createS3BlobStore } from '../../server/store/s3-blobs.js';
import { databasePath } from '../../server/store/libsql/database.js';

export type Row = Record<string, unknown>;

export interface AuditDatabase {
  /** `sigill.db` in a folder, or the PostgreSQL URL without its password. */
  readonly name: string;
  /** Every table and its columns, as the database has them. */
  columns(): Promise<Map<string, string[]>>;
  rows(table: string): Promise<Row[]>;
  /** The database's own files, searched byte by byte (libsql: the file and its WAL). */
  files(): { name: string; bytes: Buffer }[];
  close(): Promise<void>;
}

export interface AuditBlob {
  name: string;
  messageId: string;
  index: number;
  /** Up to the first `limit` bytes, and the whole size. */
  read(limit: number): Promise<{ bytes: Uint8Array; size: number }>;
}

export function libsqlDatabase(dataDir: string): AuditDatabase {
  const path = databasePath(dataDir);
  if (!existsSync(path)) throw new Error(`no database at ${path}`);
  const db = new Database(path, { readonly: true });
  const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;
  return {
    name: path,
    async columns() {
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[];
      return new Map(tables.map(({ name }) => [name, (db.prepare(`PRAGMA table_info(${quoted(name)})`).all() as { name: string }[]).map((c) => c.name)]));
    },
    async rows(table) {
      return db.prepare(`SELECT * FROM ${quoted(table)}`).all() as Row[];
    },
    files() {
      return [path, `${path}-wal`].filter((file) => existsSync(file)).map((file) => ({ name: file, bytes: readFileSync(file) }));
    },
    async close() {
      db.close();
    },
  };
}

export async function postgresDatabase(url: string): Promise<AuditDatabase> {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const shown = new URL(url);
  shown.password = '';
  const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;
  return {
    name: shown.href,
    async columns() {
      const { rows } = await pool.query<{ table_name: string; column_name: string }>(
        'SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position',
      );
      const columns = new Map<string, string[]>();
      for (const row of rows) columns.set(row.table_name, [...(columns.get(row.table_name) ?? []), row.column_name]);
      return columns;
    },
    async rows(table) {
      return (await pool.query(`SELECT * FROM ${quoted(table)}`)).rows as Row[];
    },
    files: () => [],
    async close() {
      await pool.end();
    },
  };
}

const blobName = /^([A-Za-z0-9_-]+)\.(\d+)$/;

/** The blob folder's files (also leftovers of uploads that died: `*.part`). */
export function folderBlobs(dataDir: string): AuditBlob[] {
  const root = join(dataDir, 'blobs');
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .map((name) => join(root, name))
    .filter((path) => statSync(path).isFile())
    .map((path) => {
      // An upload not yet complete (`<messageId>.chunks/`: its part file and chunk locks) is ciphertext, but not a payload: a leftover like `*.part`.
      const chunkOf = /([A-Za-z0-9_-]+)\.chunks$/.exec(basename(dirname(path)));
      const match = chunkOf ? null : blobName.exec(basename(path));
      return {
        name: path,
        messageId: chunkOf?.[1] ?? match?.[1] ?? '',
        index: match ? Number(match[2]) : -1,
        async read(limit: number) {
          const bytes = readFileSync(path);
          return { bytes: bytes.subarray(0, limit), size: bytes.length };
        },
      };
    });
}

export async function bucketBlobs(blobUrl: string, env: NodeJS.ProcessEnv): Promise<{ blobs: AuditBlob[]; close(): Promise<void> }> {
  const store = createS3BlobStore(parseBlobUrl(blobUrl, env));
  const blobs: AuditBlob[] = [];
  for await (const entry of store.list()) {
    blobs.push({
      name: `${store.description} ${entry.messageId}.${entry.index}`,
      messageId: entry.messageId,
      index: entry.index,
      async read(limit: number) {
        const end = Math.min(entry.size, limit);
        const stream = await store.get(entry.messageId, entry.index, end > 0 ? { range: { start: 0, end } } : {});
        const bytes = new Uint8Array(await new Response(stream).arrayBuffer()).subarray(0, limit);
        return { bytes, size: entry.size };
      },
    });
  }
  return { blobs, close: () => store.close() };
}
