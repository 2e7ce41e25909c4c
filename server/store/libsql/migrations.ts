/**
 * Numbered migrations, applied in order at start (PRAGMA user_version holds the number
 * applied). Never edit a released migration: add the next one.
 *
 * A message's payload lengths are a JSON array (index order) with a count of payloads
 * stored; each payload is a blob (BlobStore). Labels and the sender's copy (PROTOCOL.md
 * §7.1) are sealed to the sender's receiptKey. Binary values are stored as
 * base64url TEXT. Nothing here holds a secret, a link
 * fragment, K_auth, a personal identity number, a token or an orderRef in the clear:
 * tokens and ids that act as capabilities are stored as SHA-256 hashes, and what a
 * verification must remember (orderRef, QR secrets, K_auth) is sealed under a key
 * derived from the verificationId, which only the browser holds.
 */
export const migrations: readonly string[] = [
  /* 1 */ `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

  CREATE TABLE senders (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
  );

  CREATE TABLE api_tokens (
    token_hash TEXT PRIMARY KEY,
    sender_id TEXT NOT NULL REFERENCES senders(id),
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
  );

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
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked_at INTEGER,
    purged_at INTEGER
  );
  CREATE INDEX messages_by_sender ON messages (sender_id, created_at);

  CREATE TABLE links (
    id TEXT PRIMARY KEY,
    message_id TEXT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    readers TEXT NOT NULL,
    reads INTEGER NOT NULL DEFAULT 0,
    opened_at INTEGER,
    verification_started_at INTEGER,
    read_at INTEGER,
    denied_attempts INTEGER NOT NULL DEFAULT 0,
    last_denied_at INTEGER
  );
  CREATE INDEX links_by_message ON links (message_id);

  CREATE TABLE deliveries (
    id INTEGER PRIMARY KEY,
    link_id TEXT NOT NULL REFERENCES links(id) ON DELETE CASCADE,
    channel TEXT NOT NULL,
    recipient_hint TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX deliveries_by_link ON deliveries (link_id);

  CREATE TABLE receipts (
    id INTEGER PRIMARY KEY,
    message_id TEXT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    link_id TEXT NOT NULL,
    sealed TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX receipts_by_message ON receipts (message_id);

  CREATE TABLE verifications (
    id_hash TEXT PRIMARY KEY,
    link_id TEXT NOT NULL REFERENCES links(id) ON DELETE CASCADE,
    browser_hash TEXT NOT NULL,
    sealed TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'failed', 'denied', 'approved', 'exhausted')),
    hint_code TEXT,
    started_at INTEGER NOT NULL,
    last_collect_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  );

  CREATE TABLE release_tokens (
    token_hash TEXT PRIMARY KEY,
    link_id TEXT NOT NULL REFERENCES links(id) ON DELETE CASCADE,
    browser_hash TEXT NOT NULL,
    expires_at INTEGER NOT NULL
  );

  CREATE TABLE rate_limits (
    key TEXT PRIMARY KEY,
    window_start INTEGER NOT NULL,
    count INTEGER NOT NULL
  );
  `,
  /* 2 */ `ALTER TABLE links ADD COLUMN label TEXT; ALTER TABLE messages ADD COLUMN sender_copy TEXT;`,
  /* 3: which payloads are counted, so each is counted once whatever the blob store did. */ `
  CREATE TABLE stored_payloads (
    message_id TEXT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    payload_index INTEGER NOT NULL,
    PRIMARY KEY (message_id, payload_index)
  ) WITHOUT ROWID;
  `, // No backfill: payloads counted before this were stored in the blob folder, which refuses a second file.
  /* 4: SMS delivery states (issue 13): a public id, the provider, hashed report token and provider id, parts, a lease. */ `
  ALTER TABLE deliveries ADD COLUMN delivery_id TEXT;
  ALTER TABLE deliveries ADD COLUMN provider TEXT;
  ALTER TABLE deliveries ADD COLUMN report_token_hash TEXT;
  ALTER TABLE deliveries ADD COLUMN provider_ref_hash TEXT;
  ALTER TABLE deliveries ADD COLUMN reason TEXT;
  ALTER TABLE deliveries ADD COLUMN provider_error TEXT;
  ALTER TABLE deliveries ADD COLUMN parts INTEGER;
  ALTER TABLE deliveries ADD COLUMN lease_until INTEGER;
  UPDATE deliveries SET delivery_id = 'd' || id WHERE delivery_id IS NULL;
  CREATE UNIQUE INDEX deliveries_by_id ON deliveries (delivery_id);
  CREATE INDEX deliveries_pending ON deliveries (lease_until) WHERE status = 'pending';
  `,
  /* 5: webhook endpoints and their outbox (server/webhooks/; sealed_secrets is AES-256-GCM under the webhook key, never a secret in the clear). */ `
  CREATE TABLE webhook_endpoints (
    id TEXT PRIMARY KEY,
    sender_id TEXT NOT NULL REFERENCES senders(id),
    url TEXT NOT NULL,
    events TEXT NOT NULL,
    sealed_secrets TEXT NOT NULL,
    enabled INTEGER NOT NULL,
    failure_count INTEGER NOT NULL DEFAULT 0,
    last_failure_at INTEGER,
    last_failure TEXT,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX webhook_endpoints_by_sender ON webhook_endpoints (sender_id, created_at);

  CREATE TABLE webhook_jobs (
    id TEXT PRIMARY KEY,
    endpoint_id TEXT NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
    body TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    leased_until INTEGER,
    lease_owner TEXT,
    last_failure TEXT,
    delivered_at INTEGER,
    failed_at INTEGER,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX webhook_jobs_due ON webhook_jobs (next_attempt_at) WHERE delivered_at IS NULL AND failed_at IS NULL;
  CREATE INDEX webhook_jobs_by_endpoint ON webhook_jobs (endpoint_id);
  `,
  /* 6: the chunks of payloads uploaded in chunks (issue 12; shared/api/uploads.ts): a row once a chunk's blob is whole. */ `
  CREATE TABLE payload_chunks (
    message_id TEXT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    payload_index INTEGER NOT NULL,
    chunk INTEGER NOT NULL,
    PRIMARY KEY (message_id, payload_index, chunk)
  ) WITHOUT ROWID;
  -- Who joins a payload's chunks into its blob: one process at a time, until claimed_until.
  CREATE TABLE payload_joins (
    message_id TEXT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
    payload_index INTEGER NOT NULL,
    claimed_until INTEGER NOT NULL,
    PRIMARY KEY (message_id, payload_index)
  ) WITHOUT ROWID;
  `,
  /* 7 (tbauth; after chunks' 6): the toolbox's accounts (server/accounts/): users by keyed hash of the personal number (key from configuration), sessions, passkeys, PRF-wrapped receipt keys, BankID sign-ins, WebAuthn challenges by hash; token names; who sent a message. */ `
  CREATE TABLE users (
    id TEXT PRIMARY KEY,
    sender_id TEXT NOT NULL REFERENCES senders(id),
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'member')),
    pnr_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (sender_id, pnr_hash)
  );
  CREATE INDEX users_by_pnr_hash ON users (pnr_hash);

  CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL
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
    created_at INTEGER NOT NULL,
    last_used_at INTEGER
  );
  CREATE INDEX passkeys_by_user ON passkeys (user_id);

  CREATE TABLE receipt_keys (
    user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    public_key TEXT NOT NULL,
    wrapped TEXT NOT NULL,
    updated_at INTEGER NOT NULL
  );

  CREATE TABLE sign_ins (
    id_hash TEXT PRIMARY KEY,
    sealed TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'failed', 'unknown_user', 'approved', 'used')),
    hint_code TEXT,
    user_id TEXT REFERENCES users(id) ON DELETE CASCADE,
    started_at INTEGER NOT NULL,
    last_collect_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  );

  CREATE TABLE webauthn_challenges (
    challenge_hash TEXT PRIMARY KEY,
    purpose TEXT NOT NULL CHECK (purpose IN ('authentication', 'registration')),
    user_id TEXT REFERENCES users(id) ON DELETE CASCADE,
    expires_at INTEGER NOT NULL
  );

  ALTER TABLE api_tokens ADD COLUMN name TEXT;
  ALTER TABLE messages ADD COLUMN user_id TEXT;
  CREATE INDEX messages_by_user ON messages (user_id, created_at);
  `,
];
