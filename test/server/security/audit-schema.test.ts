/**
 * The audit's description table (scripts/audit/schema.ts) against the live schema of
 * both back ends, freshly migrated: every live column is described, and every
 * described column exists on at least one back end.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { schemaDescription } from '../../../scripts/audit/schema.js';
import { libsqlDatabase, postgresDatabase, type AuditDatabase } from '../../../scripts/audit/sources.js';
import { backends } from '../backends.js';

async function liveColumns(name: string, dataDir: string, env: Record<string, string>): Promise<Map<string, string[]>> {
  const database: AuditDatabase = name === 'libsql' ? libsqlDatabase(dataDir) : await postgresDatabase(env.SIGILL_DATABASE_URL!);
  try {
    return await database.columns();
  } finally {
    await database.close();
  }
}

describe('the audit’s description of the schema', () => {
  it('describes every column of both back ends, and no column neither has', async () => {
    const seen = new Set<string>();
    for (const backend of backends) {
      const dataDir = mkdtempSync(join(tmpdir(), 'sigill-audit-schema-'));
      const opened = await backend.open(dataDir);
      try {
        for (const [table, columns] of await liveColumns(backend.name, dataDir, opened.env)) {
          for (const column of columns) {
            expect(schemaDescription[table]?.[column], `[${backend.name}] ${table}.${column}`).toBeDefined();
            seen.add(`${table}.${column}`);
          }
        }
      } finally {
        await opened.close();
        rmSync(dataDir, { recursive: true, force: true });
      }
    }
    const described = Object.entries(schemaDescription).flatMap(([table, columns]) => Object.keys(columns).map((column) => `${table}.${column}`));
    expect(described.filter((column) => !seen.has(column))).toEqual([]);
  });
});
