import pg from 'pg';
import { StoreError } from '../errors.js';

/**
 * Connections to PostgreSQL and the one place its rows get a type. Every statement goes
 * through `rows` or `changes`: prepared once per connection (named by its text), with
 * connection failures turned into `StoreError('unavailable')`. BIGINT columns (times)
 * and counts come back as numbers (they stay far below 2^53).
 *
 * @example
 * const pool = openPool('postgres://sigill@localhost/sigill?host=/run/postgresql');
 * const [row] = await rows<{ n: number }>(pool, 'SELECT count(*) AS n FROM messages');
 */
export type Executor = pg.Pool | pg.PoolClient;

const int8 = 20;
const types = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === int8 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

export function openPool(url: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, types, max: 10, connectionTimeoutMillis: 10_000 });
  // An idle connection that breaks (server restart) is dropped; the next query opens another.
  pool.on('error', () => undefined);
  return pool;
}

const statementNames = new Map<string, string>();
function nameOf(text: string): string {
  let name = statementNames.get(text);
  if (name === undefined) {
    name = `sigill_${statementNames.size}`;
    statementNames.set(text, name);
  }
  return name;
}

/**
 * Failures of the database, not of the statement: SQLSTATE classes 08 (connection), 28
 * (refused login) and 57 (shut down, cancelled), 53300 (too many clients), 3D000 (no such
 * database), and the socket's own errors.
 */
const unavailableCodes = new Set(['53300', '3D000', 'ECONNREFUSED', 'ENOENT', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH']);
function isUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  // pg's own errors carry no code; only their text tells a lost connection apart.
  if (typeof code !== 'string') return error instanceof Error && /Connection terminated|timeout exceeded when trying to connect/i.test(error.message);
  return code.startsWith('08') || code.startsWith('28') || code.startsWith('57') || unavailableCodes.has(code);
}

export function storeErrorOf(error: unknown): unknown {
  return isUnavailable(error) ? new StoreError('unavailable', 'the database cannot be reached', { cause: error }) : error;
}

export async function rows<Row extends pg.QueryResultRow>(on: Executor, text: string, values: unknown[] = []): Promise<Row[]> {
  try {
    return (await on.query<Row>({ name: nameOf(text), text, values })).rows;
  } catch (error) {
    throw storeErrorOf(error);
  }
}

/** Runs a statement; returns how many rows it changed. */
export async function changes(on: Executor, text: string, values: unknown[] = []): Promise<number> {
  try {
    return (await on.query({ name: nameOf(text), text, values })).rowCount ?? 0;
  } catch (error) {
    throw storeErrorOf(error);
  }
}

/** Runs `work` in one transaction on one connection (READ COMMITTED; the conditional updates inside make it safe). */
export async function transaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect().catch((error: unknown) => {
    throw storeErrorOf(error);
  });
  let broken: unknown;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: unknown) => {
      broken = rollbackError;
    });
    throw storeErrorOf(error);
  } finally {
    // A connection that could not roll back is closed, not reused.
    client.release(broken instanceof Error ? broken : undefined);
  }
}
