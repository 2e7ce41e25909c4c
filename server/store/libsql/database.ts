import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'libsql';
import { migrations } from './migrations.js';
import { busyTimeoutMs } from './transactions.js';

/**
 * The embedded libsql database: one file in the data folder, WAL, numbered migrations
 * applied at open. Everything a second server process needs lives here, so several
 * processes can serve one database.
 *
 * @example
 * const db = openDatabase('./data');
 * query<{ n: number }>(db, 'SELECT count(*) AS n FROM messages').get()!.n;
 */
export type Db = InstanceType<typeof Database>;

export function databasePath(dataDir: string): string {
  return join(dataDir, 'sigill.db');
}

export function openDatabase(dataDir: string): Db {
  mkdirSync(dataDir, { recursive: true });
  const db = new Database(databasePath(dataDir));
  db.exec('PRAGMA journal_mode = WAL');
  // NORMAL in WAL mode survives a killed process; only a power cut can lose the last commits.
  db.exec('PRAGMA synchronous = NORMAL');
  db.exec(`PRAGMA busy_timeout = ${busyTimeoutMs}`);
  db.exec('PRAGMA foreign_keys = ON');
  migrate(db);
  cacheStatements(db);
  return db;
}

type Statement = ReturnType<Db['prepare']>;

/** Per connection: libsql's own prepare, and the raw-mode statements (see prepareRaw). */
const rawStatements = new WeakMap<Db, { prepare: Db['prepare']; statements: Map<string, Statement> }>();

/**
 * Every SQL text is prepared once per connection and reused: preparing costs more than
 * running a point select. The SQL texts are constants in the code, so the cache is bounded.
 */
function cacheStatements(db: Db): void {
  const prepare = db.prepare.bind(db);
  const statements = new Map<string, Statement>();
  rawStatements.set(db, { prepare, statements: new Map() });
  db.prepare = ((sql: string) => {
    let statement = statements.get(sql);
    if (statement === undefined) {
      statement = prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  }) as Db['prepare'];
}

/**
 * A cached statement whose rows come as arrays (libsql's raw mode), for hot reads of many
 * columns: libsql builds a named row column by column in native code, which for a dozen
 * columns costs as much as the query. Kept apart from prepare()'s statement for the same
 * SQL, so neither changes the other's mode.
 */
export function prepareRaw(db: Db, sql: string): Statement {
  const cache = rawStatements.get(db);
  if (cache === undefined) throw new Error('prepareRaw needs a database from openDatabase()');
  let statement = cache.statements.get(sql);
  if (statement === undefined) {
    statement = cache.prepare(sql).raw(true);
    cache.statements.set(sql, statement);
  }
  return statement;
}

export type Param = string | number | bigint | null | Uint8Array;

/** A cached statement with its row type: the one place libsql's untyped rows get a type. */
export interface Query<Row> {
  get(...params: Param[]): Row | undefined;
  all(...params: Param[]): Row[];
  run(...params: Param[]): { changes: number };
}

export function query<Row = never>(db: Db, sql: string): Query<Row> {
  return db.prepare(sql) as unknown as Query<Row>;
}

const userVersion = (db: Db) => query<{ user_version: number }>(db, 'PRAGMA user_version').get()!.user_version;

/**
 * Applies the migrations not yet applied, each under the write lock (BEGIN IMMEDIATE),
 * so that processes starting together on one file apply each exactly once.
 */
function migrate(db: Db): void {
  for (let version = userVersion(db); version < migrations.length; version++) {
    db.exec('BEGIN IMMEDIATE');
    try {
      // Another process may have migrated while this one waited for the lock.
      if (userVersion(db) === version) {
        db.exec(migrations[version]!);
        db.exec(`PRAGMA user_version = ${version + 1}`);
      }
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  }
}
