import { postgresChunks } from './chunks.js';
import type pg from 'pg';
import { postgresWebhooks } from './webhooks.js';
import { postgresAccounts } from './accounts.js';
import type { Store } from '../types.js';
import { postgresDeliveries, postgresMeta, postgresRateLimits } from './counters.js';
import { postgresLinks } from './links.js';
import { postgresMessages } from './messages.js';
import { migrate } from './migrations.js';
import { openPool } from './pool.js';
import { postgresSenders } from './senders.js';
import { postgresReleaseTokens, postgresVerifications } from './verifications.js';

/**
 * The scale-out store: PostgreSQL (`SIGILL_DATABASE_URL=postgres://…`). Every server
 * process keeps nothing of its own: verifications, release tokens, rate limits and
 * collect claims are rows here. Migrations are applied at open under an advisory lock.
 *
 * @example
 * const store = await openPostgresStore('postgres://sigill@db.internal/sigill');
 * await store.senders.count();
 */
export interface PostgresStore extends Store {
  readonly engine: 'postgres';
  /** The connection pool, for tests that look at what is stored. */
  readonly pool: pg.Pool;
}

export async function openPostgresStore(url: string): Promise<PostgresStore> {
  const pool = openPool(url);
  try {
    await migrate(pool);
  } catch (error) {
    await pool.end();
    throw error;
  }
  return {
    engine: 'postgres',
    pool,
    messages: postgresMessages(pool),
    chunks: postgresChunks(pool),
    links: postgresLinks(pool),
    verifications: postgresVerifications(pool),
    releaseTokens: postgresReleaseTokens(pool),
    senders: postgresSenders(pool),
    deliveries: postgresDeliveries(pool),
    rateLimits: postgresRateLimits(pool),
    meta: postgresMeta(pool),
    webhooks: postgresWebhooks(pool),
    accounts: postgresAccounts(pool),
    async close() {
      await pool.end();
    },
  };
}
