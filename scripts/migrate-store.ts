import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import Database from 'libsql';
import type pg from 'pg';
import { BlobConfigError, parseBlobUrl, type S3BlobConfig } from '../server/store/blob-config.js';
import type { BlobStore } from '../server/store/blob-store.js';
import { StoreError } from '../server/store/errors.js';
import { createFileBlobStore } from '../server/store/file-blobs.js';
import { databasePath } from '../server/store/libsql/database.js';
import { migrations as libsqlMigrations } from '../server/store/libsql/migrations.js';
import { migrate } from '../server/store/postgres/migrations.js';
import { openPool } from '../server/store/postgres/pool.js';
import { createS3BlobStore } from '../server/store/s3-blobs.js';
import { MigrationError, planPayloads, type PayloadPlan } from './migrate-store-payloads.js';
import { planTables, refuseForeignTables, type TablePlan } from './migrate-store-schema.js';

export { MigrationError };

/**
 * `npm run admin -- migrate-store`: copies an embedded data folder (the libsql file and
 * the payload files) into PostgreSQL and, with `blobs`, an S3-compatible object store.
 *
 * The rows are copied table by table as they are (a direct copy, not through the store
 * interfaces: every column and every state comes across, also pending verifications,
 * release tokens, rate-limit windows and the database's own secrets in `meta`; the
 * tables and columns come from both schemas, see migrate-store-schema.ts), in one
 * PostgreSQL transaction that commits only after every payload is copied and checked.
 * A failure leaves the target as empty as it was (payloads copied so far are deleted).
 * The source is opened read-only and never migrated; the target must be empty.
 *
 * Payloads of uploading and ready messages are copied and their lengths checked
 * against the message; those of expired and revoked messages are not (the purge
 * would delete them), nor files that belong to no message.
 */
export interface MigrationOptions {
  dataDir: string;
  /** postgres://… (never printed: it may hold a password). */
  databaseUrl: string;
  /** Where payloads go (the command makes it from --blobs); without it they stay in the data folder (only checked). */
  blobs?: BlobStore;
  progress(line: string): void;
}

export interface MigrationResult {
  tables: { name: string; rows: number }[];
  payloads: PayloadPlan;
  /** Whether payloads were copied (false: they stay in the data folder). */
  copiedPayloads: boolean;
}

const batchRows = 500;

type Row = Record<string, unknown>;

export async function migrateStore(options: MigrationOptions): Promise<MigrationResult> {
  const { dataDir, progress } = options;
  const path = databasePath(dataDir);
  if (!existsSync(path)) throw new MigrationError(`there is no Sigill database in ${dataDir} (SIGILL_DATA_DIR)`);
  // Read-only at the file: no write, and no checkpoint of the WAL either.
  const source = new Database(`file:${resolve(path).split('/').map(encodeURIComponent).join('/')}?mode=ro`);
  const pool = openPool(options.databaseUrl);
  const targetBlobs = options.blobs;
  try {
    // One read transaction: every table from one snapshot.
    source.exec('BEGIN');
    const version = (source.prepare('PRAGMA user_version').get() as { user_version: number }).user_version;
    if (version !== libsqlMigrations.length) {
      throw new MigrationError(
        version < libsqlMigrations.length
          ? `the data folder's database is at schema ${version}; start this version of Sigill on it once (it upgrades it to ${libsqlMigrations.length}), stop it, then migrate`
          : `the data folder's database is at schema ${version}, newer than this Sigill knows (${libsqlMigrations.length}); migrate with the version that wrote it`,
      );
    }
    progress(`Source: ${dataDir} (libsql schema ${version}). Target: PostgreSQL${targetBlobs ? ` and ${targetBlobs.description}` : ', payloads stay in the data folder'}.`);
    await refuseForeignTables(source, pool);
    await migrate(pool);
    const tables = await planTables(source, pool);
    await refuseNonEmpty(pool, tables, targetBlobs);

    const sourceBlobs = createFileBlobStore(dataDir);
    const payloads = await planPayloads(source, sourceBlobs);
    progress(`Payloads: ${payloads.copy.length} of uploading and ready messages (${mebibytes(payloads.bytes)}) checked in the data folder.`);

    const client = await pool.connect();
    const copied: { messageId: string; index: number }[] = [];
    try {
      await client.query('BEGIN');
      const counts = [];
      for (const table of tables) counts.push({ name: table.name, rows: await copyTable(source, client, table, progress) });
      for (const { name, serial } of tables) {
        for (const column of serial) await client.query(`SELECT setval(pg_get_serial_sequence('${name}', '${column}'), max(${column})) FROM ${name} HAVING count(*) > 0`);
      }
      for (const { name, rows } of counts) {
        const [target] = (await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${name}`)).rows;
        if (target?.n !== rows) throw new MigrationError(`${name}: ${rows} rows read, but ${target?.n} in the target`);
      }
      progress(`Rows: ${counts.reduce((sum, table) => sum + table.rows, 0)} in ${counts.length} tables copied; every table's count matches.`);
      if (targetBlobs) await copyPayloads(sourceBlobs, targetBlobs, payloads, copied, progress);
      await client.query('COMMIT');
      return { tables: counts, payloads, copiedPayloads: targetBlobs !== undefined };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      if (targetBlobs && copied.length > 0) {
        progress(`Failed; deleting the ${copied.length} payloads copied so far.`);
        const counts = new Map<string, number>();
        for (const { messageId, index } of copied) counts.set(messageId, Math.max(counts.get(messageId) ?? 0, index + 1));
        for (const [messageId, count] of counts) await targetBlobs.deleteMessage(messageId, count).catch(() => undefined);
      }
      throw error;
    } finally {
      client.release();
    }
  } finally {
    if (source.inTransaction) source.exec('COMMIT');
    source.close();
    await pool.end();
  }
}

async function refuseNonEmpty(pool: pg.Pool, tables: TablePlan[], blobs: BlobStore | undefined): Promise<void> {
  const full = [];
  for (const { name } of tables) {
    if ((await pool.query(`SELECT EXISTS (SELECT 1 FROM ${name}) AS used`)).rows[0]?.used) full.push(name);
  }
  if (full.length > 0) throw new MigrationError(`the target database is not empty (rows in ${full.join(', ')}); migrate into a new, empty database`);
  if (blobs) {
    for await (const _entry of blobs.list()) throw new MigrationError(`the target object store already holds payloads (${blobs.description}); use an empty bucket or key prefix`);
  }
}

async function copyTable(source: InstanceType<typeof Database>, client: pg.PoolClient, { name: table, columns, select }: TablePlan, progress: (line: string) => void): Promise<number> {
  let batch: Row[] = [];
  let copied = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const values: unknown[] = [];
    const tuples = batch.map((row) => `(${columns.map((column) => `$${values.push(row[column] ?? null)}`).join(', ')})`);
    await client.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}`, values);
    copied += batch.length;
    batch = [];
    if (copied % (batchRows * 20) === 0) progress(`  ${table}: ${copied} rows…`);
  };
  for (const row of source.prepare(select).iterate() as IterableIterator<Row>) {
    batch.push(row);
    if (batch.length === batchRows) await flush();
  }
  await flush();
  progress(`  ${table}: ${copied} ${copied === 1 ? 'row' : 'rows'}`);
  return copied;
}

async function copyPayloads(from: BlobStore, to: BlobStore, plan: PayloadPlan, copied: { messageId: string; index: number }[], progress: (line: string) => void): Promise<void> {
  let bytes = 0;
  let lastReport = Date.now();
  for (const { messageId, index, length } of plan.copy) {
    await to.put(messageId, index, length, chunksOf(await from.get(messageId, index)));
    copied.push({ messageId, index });
    const stored = await to.size(messageId, index);
    if (stored !== length) throw new MigrationError(`a payload of message ${messageId} has ${stored ?? 'no'} bytes in the target, not ${length}`);
    bytes += length;
    if (Date.now() - lastReport > 2000 || copied.length === plan.copy.length) {
      progress(`  payloads: ${copied.length} of ${plan.copy.length} (${mebibytes(bytes)} of ${mebibytes(plan.bytes)})`);
      lastReport = Date.now();
    }
  }
  progress(`Payloads: ${copied.length} copied; every one has its exact length in the target.`);
}

async function* chunksOf(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

export function mebibytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/**
 * The admin command: `migrate-store --to postgres://… [--blobs s3://…]`, from the data
 * folder SIGILL_DATA_DIR names. Prints progress; returns the exit code (0 done, 1 failed,
 * 2 wrong use).
 */
export async function runMigrateStore(args: { dataDir: string; to?: string; blobs?: string; env: Record<string, string | undefined> }): Promise<number> {
  const usage = 'usage: npm run admin -- migrate-store --to postgres://… [--blobs s3://<bucket>?endpoint=…&region=…]';
  if (!args.to || !/^postgres(ql)?:\/\//.test(args.to)) {
    console.error(`migrate-store needs --to with a postgres:// URL\n${usage}`);
    return 2;
  }
  let blobs: S3BlobConfig | undefined;
  try {
    blobs = args.blobs === undefined ? undefined : parseBlobUrl(args.blobs, args.env);
  } catch (error) {
    if (!(error instanceof BlobConfigError)) throw error;
    console.error(`--blobs: ${error.message.replace('SIGILL_BLOB_URL', 'the URL')}\n${usage}`);
    return 2;
  }
  console.log('Stop every Sigill server on this data folder before migrating: what they write meanwhile is not copied.');
  try {
    const target = blobs ? createS3BlobStore(blobs) : undefined;
    const result = await migrateStore({ dataDir: args.dataDir, databaseUrl: args.to, ...(target ? { blobs: target } : {}), progress: (line) => console.log(line) }).finally(() => target?.close());
    const { skippedDead, skippedOrphans } = result.payloads;
    if (skippedDead + skippedOrphans > 0) {
      console.log(`Left behind: ${skippedDead} payload file(s) of expired or revoked messages (the purge deletes those) and ${skippedOrphans} file(s) of no message.`);
    }
    const settings = result.copiedPayloads ? 'SIGILL_DATABASE_URL and SIGILL_BLOB_URL' : 'SIGILL_DATABASE_URL (and the same SIGILL_DATA_DIR for the payloads)';
    console.log(`Done. The data folder is unchanged. Start the servers with ${settings}.`);
    return 0;
  } catch (error) {
    if (error instanceof MigrationError || error instanceof StoreError) {
      console.error(`Migration failed, the target is left empty: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
