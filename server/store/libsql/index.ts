import { libsqlChunks } from './chunks.js';
import { libsqlWebhooks } from './webhooks.js';
import { libsqlAccounts } from './accounts.js';
import type { Store } from '../types.js';
import { openDatabase, type Db } from './database.js';
import { libsqlLinks } from './links.js';
import { libsqlMessages } from './messages.js';
import { libsqlDeliveries } from './deliveries.js';
import { libsqlMeta } from './meta.js';
import { libsqlRateLimits } from './rate-limits.js';
import { libsqlSenders } from './senders.js';
import { flushWrites } from './transactions.js';
import { libsqlReleaseTokens, libsqlVerifications } from './verifications.js';

/**
 * The embedded store: one libsql file in the data folder (WAL), the default of
 * `npm start`. Several processes may share the file; each migration is applied once.
 *
 * @example
 * const store = openLibsqlStore('./data');
 * await store.senders.count();
 */
export interface LibsqlStore extends Store {
  readonly engine: 'libsql';
  /** The connection itself, for tests that look at what is stored. */
  readonly db: Db;
}

export function openLibsqlStore(dataDir: string): LibsqlStore {
  const db = openDatabase(dataDir);
  return {
    engine: 'libsql',
    db,
    messages: libsqlMessages(db),
    chunks: libsqlChunks(db),
    links: libsqlLinks(db),
    verifications: libsqlVerifications(db),
    releaseTokens: libsqlReleaseTokens(db),
    senders: libsqlSenders(db),
    deliveries: libsqlDeliveries(db),
    rateLimits: libsqlRateLimits(db),
    meta: libsqlMeta(db),
    webhooks: libsqlWebhooks(db),
    accounts: libsqlAccounts(db),
    async close() {
      flushWrites(db);
      db.close();
    },
  };
}
