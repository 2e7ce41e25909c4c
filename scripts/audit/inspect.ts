/**
 * The audit itself: every column described (./schema.ts) and checked against what it
 * should hold, every database file, blob and log searched for personal data. Returns
 * one report; a finding names where (table and column, file, blob) and what, never
 * the value.
 */
import { readFileSync } from 'node:fs';
import { base64urlBytes, minRandomnessBytes, notRandom, personalDataIn, sealedLengthValid } from './checks.js';
import { schemaDescription, type ColumnDescription, type ColumnKind } from './schema.js';
import type { AuditBlob, AuditDatabase, Row } from './sources.js';

export interface Finding {
  /** `table.column`, a file, or a blob. */
  where: string;
  what: string;
  /** How many values or places showed it. */
  count: number;
}

export interface ColumnReport extends ColumnDescription {
  column: string;
  /** Values that are not null. */
  values: number;
}

export interface AuditReport {
  database: string;
  blobStore: string;
  tables: { table: string; rows: number; columns: ColumnReport[] }[];
  files: { name: string; bytes: number }[];
  blobs: { count: number; bytes: number };
  logs: string[];
  findings: Finding[];
}

/** How much of each blob is read for the randomness and personal-data checks. */
const blobSample = 1024 * 1024;

class Findings {
  private readonly found = new Map<string, Finding>();
  add(where: string, what: string) {
    const key = `${where}\u0000${what}`;
    const finding = this.found.get(key);
    if (finding) finding.count++;
    else this.found.set(key, { where, what, count: 1 });
  }
  list(): Finding[] {
    return [...this.found.values()];
  }
}

const is32Bytes = (value: string) => base64urlBytes(value)?.length === 32;

/** Why a value does not fit its column's kind, or undefined. */
function misfit(kind: ColumnKind, value: unknown): string | undefined {
  if (kind === 'flag') return [true, false, 0, 1, 0n, 1n].includes(value as never) ? undefined : 'not true or false';
  const text = typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'bigint' ? String(value) : undefined;
  if (text === undefined) return `not text or a number (${typeof value})`;
  switch (kind) {
    case 'ciphertext':
    case 'sealed-to-sender':
    case 'sealed-capability':
    case 'sealed-server-key': {
      if (text === '') return kind === 'ciphertext' ? undefined : 'empty';
      const bytes = base64urlBytes(text);
      if (!bytes) return /\s/.test(text) ? 'readable text where only ciphertext belongs' : 'not base64url';
      if (kind === 'ciphertext' && !sealedLengthValid(bytes.length)) return `length ${bytes.length} is not a sealed length`;
      if (kind === 'sealed-to-sender' && bytes.length < 48) return `${bytes.length} bytes: shorter than HPKE enc and a tag`;
      if ((kind === 'sealed-capability' || kind === 'sealed-server-key') && bytes.length < 28) return `${bytes.length} bytes: shorter than a nonce and a tag`;
      return notRandom(bytes);
    }
    case 'sha256':
    case 'hmac':
    case 'public-key':
    case 'random-secret':
      return is32Bytes(text) ? undefined : 'not 32 bytes of base64url';
    case 'tags': {
      try {
        const tags = JSON.parse(text) as unknown;
        if (tags === '*') return undefined;
        return Array.isArray(tags) && tags.every((tag) => typeof tag === 'string' && is32Bytes(tag)) ? undefined : 'not a list of 32-byte tags';
      } catch {
        return 'not "*" or a JSON list of tags';
      }
    }
    case 'rate-key':
      return /^[a-z-]+(?::[a-z-]+)*:[A-Za-z0-9_-]{43}$/.test(text) ? undefined : 'not a kind and a 32-byte HMAC';
    case 'lengths': {
      try {
        const lengths = JSON.parse(text) as unknown;
        return Array.isArray(lengths) && lengths.every((length) => typeof length === 'number' && sealedLengthValid(length)) ? undefined : 'a payload length the format does not allow';
      } catch {
        return 'not a JSON list of lengths';
      }
    }
    case 'timestamp':
    case 'counter':
      return /^-?\d+$/.test(text) ? undefined : 'not a whole number';
    case 'enum':
      return /^[A-Za-z0-9_]{1,40}$/.test(text) ? undefined : 'not one of its fixed words';
    case 'masked-address':
      return /^\+\d{1,3}…\d{2}$/.test(text) || /^[^@\s]…@[A-Za-z0-9.-]+$/.test(text) ? undefined : 'not a masked number or email address';
    case 'code':
      return /^[A-Za-z0-9_.-]{1,40}$/.test(text) ? undefined : 'not a short error code';
    case 'event': {
      if (text.length > 1000) return 'longer than an event';
      try {
        const event = JSON.parse(text) as { type?: unknown };
        return typeof event.type === 'string' ? undefined : 'not an event';
      } catch {
        return 'not JSON';
      }
    }
    case 'id':
      return /^[A-Za-z0-9_-]{1,64}$/.test(text) ? undefined : 'not an id';
    case 'plain':
      return text.length <= 200 ? undefined : 'longer than plain metadata';
  }
}

const ciphertextKinds = new Set<ColumnKind>(['ciphertext', 'sealed-to-sender', 'sealed-capability', 'sealed-server-key']);

export async function audit(database: AuditDatabase, blobs: { name: string; list: AuditBlob[] }, logFiles: string[]): Promise<AuditReport> {
  const findings = new Findings();
  const tables: AuditReport['tables'] = [];
  const live = await database.columns();
  const payloadLengths = new Map<string, number[]>();

  for (const [table, columns] of live) {
    const described = schemaDescription[table];
    const rows: Row[] = await database.rows(table);
    const reports: ColumnReport[] = [];
    for (const column of columns) {
      const description = described?.[column];
      const values = rows.map((row) => row[column]).filter((value) => value !== null && value !== undefined);
      const where = `${table}.${column}`;
      if (!description) {
        findings.add(where, 'a column the audit does not know (describe it in scripts/audit/schema.ts)');
        reports.push({ column, kind: 'plain', holds: 'UNKNOWN: not described', values: values.length });
        for (const value of values) for (const what of personalDataIn(String(value))) findings.add(where, `looks like a ${what}`);
        continue;
      }
      reports.push({ column, ...description, values: values.length });
      const sample: Uint8Array[] = [];
      for (const value of values) {
        const wrong = misfit(description.kind, value);
        if (wrong) findings.add(where, wrong);
        for (const what of personalDataIn(String(value))) findings.add(where, `looks like a ${what}`);
        if (ciphertextKinds.has(description.kind) && typeof value === 'string') {
          const bytes = base64urlBytes(value);
          if (bytes) sample.push(bytes);
        }
      }
      // Short values are tested together: a column of ciphertext is random as a whole.
      const joined = Buffer.concat(sample);
      if (joined.length >= minRandomnessBytes) {
        const wrong = notRandom(joined);
        if (wrong) findings.add(where, `all values together: ${wrong}`);
      }
    }
    if (table === 'messages') {
      for (const row of rows) {
        if (row.state === 'ready' || row.state === 'uploading') payloadLengths.set(String(row.id), JSON.parse(String(row.payload_lengths)) as number[]);
      }
    }
    tables.push({ table, rows: rows.length, columns: reports });
  }

  const files = database.files();
  for (const file of files) for (const what of personalDataIn(file.bytes.toString('latin1'))) findings.add(file.name, `looks like a ${what}`);

  let blobBytes = 0;
  for (const blob of blobs.list) {
    const { bytes, size } = await blob.read(blobSample);
    blobBytes += size;
    if (blob.index < 0) {
      findings.add(blob.name, 'a file that is not a blob (a leftover upload, or something else)');
    } else {
      if (!sealedLengthValid(size)) findings.add(blob.name, `length ${size} is not a sealed length`);
      const declared = payloadLengths.get(blob.messageId)?.[blob.index];
      if (declared !== undefined && declared !== size) findings.add(blob.name, `${size} bytes where the message declares ${declared}`);
    }
    const wrong = notRandom(bytes);
    if (wrong) findings.add(blob.name, wrong);
    for (const what of personalDataIn(Buffer.from(bytes).toString('latin1'))) findings.add(blob.name, `looks like a ${what}`);
  }

  for (const log of logFiles) {
    for (const [n, line] of readFileSync(log, 'utf8').split('\n').entries()) {
      for (const what of personalDataIn(line)) findings.add(`${log}:${n + 1}`, `looks like a ${what}`);
    }
  }

  return {
    database: database.name,
    blobStore: blobs.name,
    tables,
    files: files.map((file) => ({ name: file.name, bytes: file.bytes.length })),
    blobs: { count: blobs.list.length, bytes: blobBytes },
    logs: logFiles,
    findings: findings.list(),
  };
}
