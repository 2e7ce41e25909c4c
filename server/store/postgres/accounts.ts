import type pg from 'pg';
import type { AccountStore } from '../account-types.js';
import { sqlAccounts } from '../accounts-sql.js';
import { numbered } from '../deliveries-sql.js';
import { changes, rows } from './pool.js';

/** The accounts (../accounts-sql.ts) in PostgreSQL. */
export function postgresAccounts(pool: pg.Pool): AccountStore {
  return sqlAccounts({
    all: <Row>(sql: string, values: (string | number | null)[]) => rows<Row & pg.QueryResultRow>(pool, numbered(sql), values),
    run: (sql, values) => changes(pool, numbered(sql), values),
    isUniqueViolation: (error) => (error as { code?: unknown }).code === '23505',
  });
}
