import type { AccountStore } from '../account-types.js';
import { sqlAccounts } from '../accounts-sql.js';
import { query, type Db } from './database.js';

/** The accounts (../accounts-sql.ts) in the libsql file. */
export function libsqlAccounts(db: Db): AccountStore {
  return sqlAccounts({
    all: async <Row>(sql: string, values: (string | number | null)[]) => query<Row>(db, sql).all(...values),
    run: async (sql, values) => query(db, sql).run(...values).changes,
    isUniqueViolation: (error) => /^SQLITE_CONSTRAINT_(UNIQUE|PRIMARYKEY)$/.test(String((error as { code?: unknown }).code)),
  });
}
