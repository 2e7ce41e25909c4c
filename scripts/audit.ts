/**
 * `npm run audit -- [--data DIR | --database URL] [--blobs s3://…] [--logs FILE…] [--json]`:
 * what the server keeps, table by table and column by column (scripts/audit/schema.ts),
 * checked against the data: ciphertext and blobs have the lengths the format implies
 * and look random, hashes and tags are 32 bytes, and no column, database file, WAL,
 * blob or log holds a personal identity number, phone number, email address or
 * readable text where only ciphertext belongs. Exits 1 on any finding, 2 on bad usage.
 * Reads only; never prints a value it found.
 */
import { parseArgs } from 'node:util';
import { audit, type AuditReport } from './audit/inspect.js';
import { bucketBlobs, folderBlobs, libsqlDatabase, postgresDatabase, type AuditBlob } from './audit/sources.js';

const usage = 'usage: npm run audit -- [--data DIR | --database postgres://…] [--blobs s3://bucket?endpoint=…&region=…] [--logs FILE…] [--json]';

function fail(message: string): never {
  console.error(`${message}\n${usage}`);
  process.exit(2);
}

let parsed;
try {
  parsed = parseArgs({
    options: { data: { type: 'string' }, database: { type: 'string' }, blobs: { type: 'string' }, logs: { type: 'string', multiple: true }, json: { type: 'boolean' }, help: { type: 'boolean' } },
    allowPositionals: true,
  });
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
const { values, positionals } = parsed;
if (values.help) {
  console.log(usage);
  process.exit(0);
}
const databaseUrl = values.database ?? process.env.SIGILL_DATABASE_URL;
const dataDir = values.data ?? (databaseUrl ? undefined : (process.env.SIGILL_DATA_DIR ?? './data'));
if (values.data && values.database) fail('give --data or --database, not both');
// `--logs a b` takes the files after it too.
const logs = [...(values.logs ?? []), ...positionals];

const database = databaseUrl && !values.data ? await postgresDatabase(databaseUrl) : libsqlDatabase(dataDir!);
const blobUrl = values.blobs ?? process.env.SIGILL_BLOB_URL;
let blobs: { name: string; list: AuditBlob[] };
let closeBlobs = async () => {};
if (blobUrl) {
  const bucket = await bucketBlobs(blobUrl, process.env);
  blobs = { name: blobUrl.replace(/\?.*$/, ''), list: bucket.blobs };
  closeBlobs = bucket.close;
} else if (dataDir) {
  blobs = { name: `${dataDir}/blobs`, list: folderBlobs(dataDir) };
} else {
  blobs = { name: 'none (give --blobs or --data)', list: [] };
}

let report: AuditReport;
try {
  report = await audit(database, blobs, logs);
} finally {
  await database.close();
  await closeBlobs();
}

if (values.json) {
  console.log(JSON.stringify({ ...report, ok: report.findings.length === 0 }, null, 2));
} else {
  console.log(`Database: ${report.database}\nBlobs: ${report.blobStore} (${report.blobs.count} blobs, ${report.blobs.bytes} bytes)\n`);
  for (const { table, rows, columns } of report.tables) {
    console.log(`${table} (${rows} rows)`);
    const width = Math.max(...columns.map((c) => c.column.length));
    for (const column of columns) console.log(`  ${column.column.padEnd(width)}  ${column.kind.padEnd(17)}  ${column.holds}`);
    console.log('');
  }
  for (const file of report.files) console.log(`searched ${file.name} (${file.bytes} bytes)`);
  for (const log of report.logs) console.log(`searched log ${log}`);
  if (report.findings.length === 0) console.log('\nNo findings.');
  else {
    console.log(`\n${report.findings.length} finding(s):`);
    for (const finding of report.findings) console.log(`  ${finding.where}: ${finding.what}${finding.count > 1 ? ` (${finding.count}×)` : ''}`);
  }
}
process.exit(report.findings.length === 0 ? 0 : 1);
