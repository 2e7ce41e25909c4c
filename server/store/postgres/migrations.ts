import type pg from 'pg';
import { storeErrorOf } from './pool.js';
/**
 * PostgreSQL's own numbered migrations (the libsql ones are in ../libsql/migrations.ts),
 * applied at start under an advisory lock, so that processes starting together apply
 * each once; `schema_migrations` holds the number applied. Never edit a released one:
 * add the next. The tables hold what the libsql ones hold, with the same columns (times
 * are BIGINT milliseconds; payload lengths and readers JSON text), so one row mapping
 * serves both. Nothing here holds a secret in the clear (see ../libsql/migrations.ts).
 */
export const postgresMigrations: readonly string[] = [
  /* 1 */ `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

  CREATE TABLE senders (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
  );

  CREATE TABLE api_tokens (
    token_hash TEXT PRIMARY KEY,
    sender_id TEXT NOT NULL REFERENCES senders(id),
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
  );
  CREATE INDEX api_tokens_by_sender ON api_tokens (sender_id);

  CREATE TABLE messages (
    id TEXT PRIMARY KEY,
    sender_id TEXT NOT NULL REFERENCES senders(id),
    errand TEXT NOT NULL,
    auth_verifier TEXT NOT NULL,
    receipt_key TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('uploading', 'ready', 'revoked', 'expired')),
    payload_lengths TEXT NOT NULL,
    payloads_stored INTEGER NOT NULL DEFAULT 0,
    read_limit INTEGER,
    sender_copy TEXT,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    revoked_at BIGINT,
    purged_at BIGINT
  );
  CREATE INDEX messages_by_sender ON messages (sender_id, created_at);
  CREATE INDEX messages_by_state ON messages (state, expires_at);

  -- Which payloads are counted, so each is counted once whatever the object store did.
  CREATE TABLE stored_payloads (
    message_id TEXT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    payload_index INTEGER NOT NULL,
    PRIMARY KEY (message_id, payload_index)
  );

  CREATE TABLE links (
    id TEXT PRIMARY KEY,
    message_id TEXT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    readers TEXT NOT NULL,
    label TEXT,
    reads INTEGER NOT NULL DEFAULT 0,
    opened_at BIGINT,
    verification_started_at BIGINT,
    read_at BIGINT,
    denied_attempts INTEGER NOT NULL DEFAULT 0,
    last_denied_at BIGINT
  );
  CREATE INDEX links_by_message ON links (message_id, position);

  CREATE TABLE deliveries (
    id BIGSERIAL PRIMARY KEY,
    link_id TEXT NOT NULL REFERENCES links(id) ON DELETE CASCADE,
    channel TEXT NOT NULL,
    recipient_hint TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
  );
  CREATE INDEX deliveries_by_link ON deliveries (link_id);

  CREATE TABLE receipts (
    id BIGSERIAL PRIMARY KEY,
    message_id TEXT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    link_id TEXT NOT NULL,
    sealed TEXT NOT NULL,
    created_at BIGINT NOT NULL
  );
  CREATE INDEX receipts_by_message ON receipts (message_id);

  CREATE TABLE verifications (
    id_hash TEXT PRIMARY KEY,
    link_id TEXT NOT NULL REFERENCES links(id) ON DELETE CASCADE,
    browser_hash TEXT NOT NULL,
    sealed TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'failed', 'denied', 'approved', 'exhausted')),
    hint_code TEXT,
    started_at BIGINT NOT NULL,
    last_collect_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
  );
  CREATE INDEX verifications_by_link ON verifications (link_id);
  CREATE INDEX verifications_by_expiry ON verifications (expires_at);

  CREATE TABLE release_tokens (
    token_hash TEXT PRIMARY KEY,
    link_id TEXT NOT NULL REFERENCES links(id) ON DELETE CASCADE,
    browser_hash TEXT NOT NULL,
    expires_at BIGINT NOT NULL
  );
  CREATE INDEX release_tokens_by_link ON release_tokens (link_id);

  CREATE TABLE rate_limits (
    key TEXT PRIMARY KEY,
    window_start BIGINT NOT NULL,
    count INTEGER NOT NULL
  );
  `,
  /* 2: SMS delivery states (issue 13): a public id, the provider, hashed report token and provider id, parts, a lease. */ `
  ALTER TABLE deliveries ADD COLUMN delivery_id TEXT;
  ALTER TABLE deliveries ADD COLUMN provider TEXT;
  ALTER TABLE deliveries ADD COLUMN report_token_hash TEXT;
  ALTER TABLE deliveries ADD COLUMN provider_ref_hash TEXT;
  ALTER TABLE deliveries ADD COLUMN reason TEXT;
  ALTER TABLE deliveries ADD COLUMN provider_error TEXT;
  ALTER TABLE deliveries ADD COLUMN parts INTEGER;
  ALTER TABLE deliveries ADD COLUMN lease_until BIGINT;
  UPDATE deliveries SET delivery_id = 'd' || id WHERE delivery_id IS NULL;
  CREATE UNIQUE INDEX deliveries_by_id ON deliveries (delivery_id);
  CREATE INDEX deliveries_pending ON deliveries (lease_until) WHERE status = 'pending';
  `,
  /* 3: webhook endpoints and their outbox (server/webhooks/; sealed_secrets is AES-256-GCM under the webhook key, never a secret in the clear). */ `
  CREATE TABLE webhook_endpoints (
    id TEXT PRIMARY KEY,
    sender_id TEXT NOT NULL REFERENCES senders(id),
    url TEXT NOT NULL,
    events TEXT NOT NULL,
    sealed_secrets TEXT NOT NULL,
    enabled BOOLEAN NOT NULL,
    failure_count INTEGER NOT NULL DEFAULT 0,
    last_failure_at BIGINT,
    last_failure TEXT,
    created_at BIGINT NOT NULL
  );
  CREATE INDEX webhook_endpoints_by_sender ON webhook_endpoints (sender_id, created_at);

  CREATE TABLE webhook_jobs (
    id TEXT PRIMARY KEY,
    endpoint_id TEXT NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
    body TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    leased_until BIGINT,
    lease_owner TEXT,
    last_failure TEXT,
    delivered_at BIGINT,
    failed_at BIGINT,
    created_at BIGINT NOT NULL
  );
  CREATE INDEX webhook_jobs_due ON webhook_jobs (next_attempt_at) WHERE delivered_at IS NULL AND failed_at IS NULL;
  CREATE INDEX webhook_jobs_by_endpoint ON webhook_jobs (endpoint_id);
  `,
  /* 4: the chunks of payloads uploaded in chunks (issue 12; shared/api/uploads.ts): a row once a chunk's blob is whole. */ `
  CREATE TABLE payload_chunks (
    message_id TEXT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    payload_index INTEGER NOT NULL,
    chunk INTEGER NOT NULL,
    PRIMARY KEY (message_id, payload_index, chunk)
  );
  -- Who joins a payload's chunks into its blob: one process at a time, until claimed_until.
  CREATE TABLE payload_joins (
    message_id TEXT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    payload_index INTEGER NOT NULL,
    claimed_until BIGINT NOT NULL,
    PRIMARY KEY (message_id, payload_index)
  );
  `,
  /* 5 (tbauth; after chunks' 4): the toolbox's accounts (server/accounts/): users by keyed hash of the personal number (key from configuration), sessions, passkeys, PRF-wrapped receipt keys, BankID sign-ins, WebAuthn challenges by hash; token names; who sent a message. */ `
  CREATE TABLE users (
    id TEXT PRIMARY KEY,
    sender_id TEXT NOT NULL REFERENCES senders(id),
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'member')),
    pnr_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (sender_id, pnr_hash)
  );
  CREATE INDEX users_by_pnr_hash ON users (pnr_hash);

  CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL
  );
  CREATE INDEX sessions_by_user ON sessions (user_id);

  CREATE TABLE passkeys (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    public_key TEXT NOT NULL,
    counter INTEGER NOT NULL,
    transports TEXT NOT NULL,
    prf INTEGER NOT NULL,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT
  );
  CREATE INDEX passkeys_by_user ON passkeys (user_id);

  CREATE TABLE receipt_keys (
    user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    public_key TEXT NOT NULL,
    wrapped TEXT NOT NULL,
    updated_at BIGINT NOT NULL
  );

  CREATE TABLE sign_ins (
    id_hash TEXT PRIMARY KEY,
    sealed TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'failed', 'unknown_user', 'approved', 'used')),
    hint_code TEXT,
    user_id TEXT REFERENCES users(id) ON DELETE CASCADE,
    started_at BIGINT NOT NULL,
    last_collect_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
  );

  CREATE TABLE webauthn_challenges (
    challenge_hash TEXT PRIMARY KEY,
    purpose TEXT NOT NULL CHECK (purpose IN ('authentication', 'registration')),
    user_id TEXT REFERENCES users(id) ON DELETE CASCADE,
    expires_at BIGINT NOT NULL
  );

  ALTER TABLE api_tokens ADD COLUMN name TEXT;
  ALTER TABLE messages ADD COLUMN user_id TEXT;
  CREATE INDEX messages_by_user ON messages (user_id, created_at);
  `,
];

/** Any constant: the advisory lock every Sigill process takes while it migrates. */
const migrationLock = 0x5191_11;

export async function migrate(pool: pg.Pool): Promise<void> {
  const client = await pool.connect().catch((error: unknown) => {
    throw storeErrorOf(error);
  });
  try {
    await client.query('SELECT pg_advisory_lock($1)', [migrationLock]);
    try {
      await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)');
      const applied = await client.query<{ version: number | null }>('SELECT max(version) AS version FROM schema_migrations');
      for (let version = applied.rows[0]?.version ?? 0; version < postgresMigrations.length; version++) {
        await client.query('BEGIN');
        try {
          await client.query(postgresMigrations[version]!);
          await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [version + 1, Date.now()]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw error;
        }
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [migrationLock]);
    }
  } catch (error) {
    throw storeErrorOf(error);
  } finally {
    client.release();
  }
}
