/**
 * What every column of the server's database holds, in one table: the audit prints it
 * and checks the data against it, and test/server/security/audit-schema.test.ts checks
 * it against the live schema of both back ends (a column missing here is a finding).
 *
 * Kinds:
 * - `ciphertext`: sealed under keys from the link's secret (the format's sealed length
 *   L + 16 × max(1, ceil(L / 65536)) bytes; random-looking).
 * - `sealed-to-sender`: HPKE to the message's receiptKey (enc ‖ ciphertext, ≥ 48 bytes).
 * - `sealed-capability`: AES-256-GCM under a key derived from the verificationId, which
 *   only the reader's browser holds (≥ 28 bytes).
 * - `sha256`, `hmac`: 32 bytes, base64url. `tags`: JSON "*" or an array of 32-byte HMACs.
 *   `rate-key`: `kind:` and a 32-byte HMAC.
 * - `public-key`: an X25519 public key, 32 bytes.
 * - `id`: a random id (base64url or a UUID) or a reference to one.
 * - `lengths`: a JSON array of ciphertext lengths. `timestamp`, `counter`: plain numbers.
 * - `enum`: one of a few fixed words. `code`: a provider's short error code (`550`, `5.1.1`, `21211`).
 * - `masked-address`: a country code and two digits, or an email's first letter and domain.
 * - `flag`: true or false (1 or 0). `event`: a webhook event as JSON, ids and times only.
 * - `sealed-server-key`: AES-256-GCM under a key from the server's configuration (or a key
 *   file beside the database), never stored in the database (≥ 28 bytes).
 * - `plain`: plain metadata by design (the sender's display name that recipients see).
 * - `random-secret`: a random value (meta; not used by the rate limits any more).
 */
export type ColumnKind =
  | 'ciphertext'
  | 'sealed-to-sender'
  | 'sealed-capability'
  | 'sha256'
  | 'hmac'
  | 'tags'
  | 'rate-key'
  | 'public-key'
  | 'id'
  | 'lengths'
  | 'timestamp'
  | 'counter'
  | 'enum'
  | 'masked-address'
  | 'code'
  | 'flag'
  | 'event'
  | 'sealed-server-key'
  | 'plain'
  | 'random-secret';

export interface ColumnDescription {
  kind: ColumnKind;
  /** What it holds, in a short sentence. */
  holds: string;
}

const timestamp = (what: string): ColumnDescription => ({ kind: 'timestamp', holds: `${what} (milliseconds since the epoch)` });
const id = (what: string): ColumnDescription => ({ kind: 'id', holds: what });

export const schemaDescription: Record<string, Record<string, ColumnDescription>> = {
  meta: {
    key: { kind: 'enum', holds: 'the name of a per-database value' },
    value: { kind: 'random-secret', holds: '32 random bytes (rate_limit_key of older versions; the rate limits no longer use it)' },
  },
  schema_migrations: {
    version: { kind: 'counter', holds: 'a migration number applied (PostgreSQL)' },
    applied_at: timestamp('when it was applied'),
  },
  senders: {
    id: id('the sender id (UUID)'),
    name: { kind: 'plain', holds: 'the sender’s display name, which recipients see' },
    created_at: timestamp('when the sender was made'),
    revoked_at: timestamp('when it was revoked, or null'),
  },
  api_tokens: {
    token_hash: { kind: 'sha256', holds: 'SHA-256 of an API token' },
    sender_id: id('the sender it belongs to'),
    created_at: timestamp('when it was made'),
    revoked_at: timestamp('when it was revoked, or null'),
    name: { kind: 'plain', holds: 'the name an admin gave it in the toolbox, or null' },
  },
  messages: {
    id: id('the messageId (128 random bits)'),
    sender_id: id('the sender'),
    errand: { kind: 'ciphertext', holds: 'the errand sealed with K_errand; empty once expired or revoked' },
    auth_verifier: { kind: 'sha256', holds: 'SHA-256(K_auth)' },
    receipt_key: { kind: 'public-key', holds: 'the sender’s X25519 receipt key' },
    state: { kind: 'enum', holds: 'uploading, ready, revoked or expired' },
    payload_lengths: { kind: 'lengths', holds: 'the ciphertext length of each payload' },
    payloads_stored: { kind: 'counter', holds: 'how many payloads are stored' },
    read_limit: { kind: 'counter', holds: 'how many reads the sender allows, or null' },
    created_at: timestamp('when it was created'),
    expires_at: timestamp('when it expires'),
    revoked_at: timestamp('when it was revoked, or null'),
    purged_at: timestamp('when its payloads were deleted, or null'),
    sender_copy: { kind: 'sealed-to-sender', holds: 'the sender’s copy of the errand and attachment names (PROTOCOL.md §7.1), or null' },
    user_id: id('the toolbox user who sent it, or null (an API token)'),
  },
  stored_payloads: {
    message_id: id('the message'),
    payload_index: { kind: 'counter', holds: 'a payload index counted as stored' },
  },
  links: {
    id: id('the linkId (128 random bits)'),
    message_id: id('the message'),
    position: { kind: 'counter', holds: 'the link’s place among the message’s recipients (PostgreSQL)' },
    readers: { kind: 'tags', holds: 'JSON: authorization tags (HMACs of the identities allowed), or "*"' },
    reads: { kind: 'counter', holds: 'reads counted' },
    opened_at: timestamp('first opened, or null'),
    verification_started_at: timestamp('first BankID start, or null'),
    read_at: timestamp('first read, or null'),
    denied_attempts: { kind: 'counter', holds: 'verified identities that were not allowed' },
    last_denied_at: timestamp('the last of them, or null'),
    label: { kind: 'sealed-to-sender', holds: 'the sender’s own name for this recipient (PROTOCOL.md §7.1), or null' },
  },
  deliveries: {
    id: { kind: 'counter', holds: 'a row number' },
    link_id: id('the link'),
    channel: { kind: 'enum', holds: 'sms or email' },
    recipient_hint: { kind: 'masked-address', holds: 'a phone number’s country code and last two digits, or an email address’s first letter and domain' },
    status: { kind: 'enum', holds: 'pending, sent, delayed, delivered or failed' },
    created_at: timestamp('when it was handed over'),
    updated_at: timestamp('its last change'),
    delivery_id: id('the delivery’s public id (in the status and the report URL)'),
    provider: { kind: 'enum', holds: 'outbox, 46elks, twilio or smtp' },
    report_token_hash: { kind: 'sha256', holds: 'SHA-256 of the per-delivery report or bounce token' },
    provider_ref_hash: { kind: 'sha256', holds: 'SHA-256 of the provider’s message id (or the email’s Message-ID)' },
    reason: { kind: 'enum', holds: 'why it failed (provider_timeout, provider_rejected, interrupted, …)' },
    provider_error: { kind: 'code', holds: 'the provider’s error code' },
    parts: { kind: 'counter', holds: 'how many SMS parts' },
    lease_until: timestamp('until when the process handing it over owns it (after that: interrupted)'),
  },
  webhook_endpoints: {
    id: id('the endpoint id'),
    sender_id: id('the sender'),
    url: { kind: 'plain', holds: 'the sender’s https endpoint (the sender’s own server)' },
    events: { kind: 'plain', holds: 'the event types it wants, as JSON' },
    sealed_secrets: { kind: 'sealed-server-key', holds: 'its signing secrets, sealed under the webhook key' },
    enabled: { kind: 'flag', holds: 'whether it gets events' },
    failure_count: { kind: 'counter', holds: 'failed deliveries in a row' },
    last_failure_at: timestamp('its last failed delivery'),
    last_failure: { kind: 'plain', holds: 'why it last failed (status or network error, no body)' },
    created_at: timestamp('when it was registered'),
  },
  webhook_jobs: {
    id: id('the webhook-id'),
    endpoint_id: id('the endpoint'),
    body: { kind: 'event', holds: 'the event: type, time, message and link ids' },
    attempts: { kind: 'counter', holds: 'attempts so far' },
    next_attempt_at: timestamp('when it is next due'),
    leased_until: timestamp('until when a process owns the attempt'),
    lease_owner: id('which process owns it'),
    last_failure: { kind: 'plain', holds: 'why the last attempt failed' },
    delivered_at: timestamp('when it was delivered'),
    failed_at: timestamp('when it was given up'),
    created_at: timestamp('when it was queued'),
  },
  receipts: {
    id: { kind: 'counter', holds: 'a row number' },
    message_id: id('the message'),
    link_id: id('the link read'),
    sealed: { kind: 'sealed-to-sender', holds: 'the read receipt (who read, when)' },
    created_at: timestamp('when it was made'),
  },
  verifications: {
    id_hash: { kind: 'sha256', holds: 'SHA-256 of the verificationId' },
    link_id: id('the link'),
    browser_hash: { kind: 'sha256', holds: 'SHA-256 of the browser-binding cookie' },
    sealed: { kind: 'sealed-capability', holds: 'orderRef, QR secrets, K_auth, and after approval the name and release token' },
    status: { kind: 'enum', holds: 'pending, failed, denied, approved or exhausted' },
    hint_code: { kind: 'enum', holds: 'BankID’s hint code, or null' },
    started_at: timestamp('when BankID was started'),
    last_collect_at: timestamp('the last collect, or the end of the collect lease in flight'),
    expires_at: timestamp('when the verification id stops working'),
  },
  release_tokens: {
    token_hash: { kind: 'sha256', holds: 'SHA-256 of a release token' },
    link_id: id('the link'),
    browser_hash: { kind: 'sha256', holds: 'SHA-256 of the browser-binding cookie' },
    expires_at: timestamp('when it stops working'),
  },
  users: {
    id: id('the user id'),
    sender_id: id('the sender they work for'),
    name: { kind: 'plain', holds: 'the user’s name as the admin or BankID gave it (shown to the sender’s admins)' },
    role: { kind: 'enum', holds: 'admin or member' },
    pnr_hash: { kind: 'hmac', holds: 'HMAC-SHA256 of the personal identity number under SIGILL_ACCOUNT_KEY (or account.key beside the database), never in the database' },
    created_at: timestamp('when the user was added'),
  },
  sessions: {
    id_hash: { kind: 'sha256', holds: 'SHA-256 of the session cookie' },
    user_id: id('the signed-in user'),
    created_at: timestamp('when they signed in'),
    last_seen_at: timestamp('the session’s last request'),
  },
  passkeys: {
    id: id('the WebAuthn credential id'),
    user_id: id('the user'),
    name: { kind: 'plain', holds: 'the name the user gave the passkey' },
    public_key: { kind: 'plain', holds: 'the credential’s COSE public key' },
    counter: { kind: 'counter', holds: 'the authenticator’s signature counter' },
    transports: { kind: 'plain', holds: 'how the authenticator connects (internal, usb, …), as JSON' },
    prf: { kind: 'flag', holds: 'whether it has the PRF extension' },
    created_at: timestamp('when it was registered'),
    last_used_at: timestamp('its last sign-in'),
  },
  receipt_keys: {
    user_id: id('the user'),
    public_key: { kind: 'public-key', holds: 'the user’s current receipt key' },
    wrapped: { kind: 'plain', holds: 'the receipt key ring as JSON copies, each AES-256-GCM under a key from a passkey’s PRF output, which the server never sees' },
    updated_at: timestamp('when it last changed'),
  },
  sign_ins: {
    id_hash: { kind: 'sha256', holds: 'SHA-256 of the signInId' },
    sealed: { kind: 'sealed-capability', holds: 'the BankID orderRef and QR secrets, under a key from the signInId' },
    status: { kind: 'enum', holds: 'pending, failed, unknown_user, approved or used' },
    hint_code: { kind: 'enum', holds: 'BankID’s hint code, or null' },
    user_id: id('the user BankID identified, or null'),
    started_at: timestamp('when BankID was started'),
    last_collect_at: timestamp('the last collect, or the end of the collect lease in flight'),
    expires_at: timestamp('when the sign-in id stops working'),
  },
  webauthn_challenges: {
    challenge_hash: { kind: 'sha256', holds: 'SHA-256 of a WebAuthn challenge' },
    purpose: { kind: 'enum', holds: 'authentication or registration' },
    user_id: id('the user registering, or null'),
    expires_at: timestamp('when it stops working'),
  },
  rate_limits: {
    key: { kind: 'rate-key', holds: 'the kind and an HMAC of the IP, link or sender under a per-window key not in the database' },
    window_start: timestamp('when the window began'),
    count: { kind: 'counter', holds: 'how many in the window' },
  },
};
