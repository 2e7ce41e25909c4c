import type Database from 'libsql';
import type pg from 'pg';
import { MigrationError } from './migrate-store-payloads.js';

/**
 * How `migrate-store` copies each table: the tables and columns of the libsql file
 * and of the migrated PostgreSQL database must be the same (the two back ends' migrations
 * keep them so), or it refuses; the order follows PostgreSQL's foreign keys, so parents
 * come first.
 */
export interface TablePlan {
  name: string;
  /** The target's columns, in the order `select` reads them. */
  columns: string[];
  /** Reads the source's rows. */
  select: string;
  /** Columns filled from a sequence in PostgreSQL, to be moved past the copied values. */
  serial: string[];
}

type Source = InstanceType<typeof Database>;

/** Columns PostgreSQL has and libsql computes: a link's place among its message's links. */
const computed: Record<string, Record<string, string>> = {
  links: { position: '(row_number() OVER (PARTITION BY message_id ORDER BY rowid)) - 1' },
};

/** The data folder's tables (SQLite's own excluded). */
export function sourceTables(source: Source): string[] {
  return (source.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((row) => row.name);
}

/** A database holding anything but Sigill's tables is someone else's: not a target. */
export async function refuseForeignTables(source: Source, pool: pg.Pool): Promise<void> {
  const known = new Set([...sourceTables(source), 'schema_migrations']);
  const foreign = (await targetTables(pool)).filter((name) => !known.has(name));
  if (foreign.length > 0) throw new MigrationError(`the target database holds other tables (${foreign.slice(0, 5).join(', ')}); migrate into a new, empty database`);
}

export async function planTables(source: Source, pool: pg.Pool): Promise<TablePlan[]> {
  const mine = sourceTables(source);
  const theirs = (await targetTables(pool)).filter((name) => name !== 'schema_migrations');
  const differ = [...mine.filter((name) => !theirs.includes(name)).map((name) => `${name} only in libsql`), ...theirs.filter((name) => !mine.includes(name)).map((name) => `${name} only in PostgreSQL`)];
  if (differ.length > 0) throw new MigrationError(`the two schemas differ (${differ.join(', ')}); use one Sigill version for both`);
  const plans: TablePlan[] = [];
  for (const name of await parentsFirst(pool, theirs)) {
    const sourceColumns = (source.prepare(`PRAGMA table_info(${name})`).all() as { name: string }[]).map((column) => column.name);
    const targetColumns = await pool.query<{ name: string; serial: boolean }>(
      `SELECT column_name AS name, coalesce(column_default LIKE 'nextval(%', false) AS serial
         FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1`,
      [name],
    );
    const extra = computed[name] ?? {};
    const missing = sourceColumns.filter((column) => !targetColumns.rows.some((row) => row.name === column));
    const unfilled = targetColumns.rows.map((row) => row.name).filter((column) => !sourceColumns.includes(column) && !(column in extra));
    if (missing.length + unfilled.length > 0) {
      const what = [...missing.map((column) => `${column} only in libsql`), ...unfilled.map((column) => `${column} only in PostgreSQL`)];
      throw new MigrationError(`${name}: the two schemas differ (${what.join(', ')}); use one Sigill version for both`);
    }
    const columns = [...sourceColumns, ...Object.keys(extra)];
    const reads = columns.map((column) => (column in extra ? `${extra[column]} AS ${column}` : column)).join(', ');
    // Rows in the order they were written, where SQLite keeps one (not WITHOUT ROWID tables).
    const definition = (source.prepare('SELECT sql FROM sqlite_master WHERE name = ?').get(name) as { sql: string }).sql;
    const order = /WITHOUT\s+ROWID/i.test(definition) ? '' : ' ORDER BY rowid';
    plans.push({ name, columns, select: `SELECT ${reads} FROM ${name}${order}`, serial: targetColumns.rows.filter((row) => row.serial).map((row) => row.name) });
  }
  return plans;
}

async function targetTables(pool: pg.Pool): Promise<string[]> {
  const found = await pool.query<{ name: string }>("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name");
  return found.rows.map((row) => row.name);
}

/** `names` ordered so that a table comes after every table its foreign keys point at. */
async function parentsFirst(pool: pg.Pool, names: string[]): Promise<string[]> {
  const edges = await pool.query<{ child: string; parent: string }>(
    `SELECT c.relname AS child, p.relname AS parent FROM pg_constraint k
       JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid
      WHERE k.contype = 'f' AND k.connamespace = current_schema()::regnamespace`,
  );
  const ordered: string[] = [];
  const visit = (name: string, path: string[]) => {
    if (ordered.includes(name) || path.includes(name)) return;
    for (const edge of edges.rows) if (edge.child === name && edge.parent !== name) visit(edge.parent, [...path, name]);
    ordered.push(name);
  };
  for (const name of names) visit(name, []);
  return ordered;
}
