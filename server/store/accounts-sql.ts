import type { AccountStore, PasskeyRecord, SessionUser, SignInRecord, UserRecord } from './account-types.js';
import { StoreError } from './errors.js';

/**
 * The accounts store once for both engines: the SQL (placeholders `?`; PostgreSQL's
 * adapter numbers them) over a small runner each back end gives (./libsql/accounts.ts,
 * ./postgres/accounts.ts). Every method is one statement, so nothing needs a
 * transaction: a deleted user's sessions, passkeys, receipt key, challenges and sign-ins
 * go by ON DELETE CASCADE.
 */
export interface SqlRunner {
  all<Row>(sql: string, values: (string | number | null)[]): Promise<Row[]>;
  /** Rows changed. */
  run(sql: string, values: (string | number | null)[]): Promise<number>;
  /** Whether `error` is a unique or primary-key violation. */
  isUniqueViolation(error: unknown): boolean;
}

const userColumns = 'u.id, u.sender_id AS "senderId", u.name, u.role, u.pnr_hash AS "pnrHash", u.created_at AS "createdAt"';
const passkeyColumns =
  'id, user_id AS "userId", name, public_key AS "publicKey", counter, transports, prf, created_at AS "createdAt", last_used_at AS "lastUsedAt"';
const signInColumns =
  'id_hash AS "idHash", sealed, status, hint_code AS "hintCode", user_id AS "userId", started_at AS "startedAt", last_collect_at AS "lastCollectAt", expires_at AS "expiresAt"';

type PasskeyRow = Omit<PasskeyRecord, 'transports' | 'prf'> & { transports: string; prf: number };
const passkeyOf = (row: PasskeyRow): PasskeyRecord => ({ ...row, transports: JSON.parse(row.transports) as string[], prf: row.prf === 1 });

type SessionRow = UserRecord & { sessionCreatedAt: number; lastSeenAt: number; senderName: string; senderCreatedAt: number };

export function sqlAccounts(sql: SqlRunner): AccountStore {
  const unique = async (code: 'user_exists' | 'passkey_exists', message: string, work: () => Promise<unknown>) => {
    try {
      await work();
    } catch (error) {
      if (sql.isUniqueViolation(error)) throw new StoreError(code, message);
      throw error;
    }
  };
  const oneUser = async (where: string, values: (string | number)[]) => (await sql.all<UserRecord>(`SELECT ${userColumns} FROM users u WHERE ${where}`, values))[0];
  return {
    async createUser(user) {
      await unique('user_exists', 'this person is already a user of this sender', () =>
        sql.run('INSERT INTO users (id, sender_id, name, role, pnr_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)', [user.id, user.senderId, user.name, user.role, user.pnrHash, user.createdAt]),
      );
    },
    user: (userId) => oneUser('u.id = ?', [userId]),
    usersByPnrHash: (pnrHash) =>
      sql.all<UserRecord>(`SELECT ${userColumns} FROM users u JOIN senders s ON s.id = u.sender_id WHERE u.pnr_hash = ? AND s.revoked_at IS NULL ORDER BY u.created_at`, [pnrHash]),
    listUsers: (senderId) =>
      sql.all<UserRecord & { passkeys: number }>(
        `SELECT ${userColumns}, (SELECT count(*) FROM passkeys p WHERE p.user_id = u.id) AS passkeys FROM users u WHERE u.sender_id = ? ORDER BY u.created_at`,
        [senderId],
      ),
    async updateUser(senderId, userId, change) {
      const changed = await sql.run('UPDATE users SET name = COALESCE(?, name), role = COALESCE(?, role) WHERE id = ? AND sender_id = ?', [change.name ?? null, change.role ?? null, userId, senderId]);
      return changed === 1 ? oneUser('u.id = ?', [userId]) : undefined;
    },
    deleteUser: async (senderId, userId) => (await sql.run('DELETE FROM users WHERE id = ? AND sender_id = ?', [userId, senderId])) === 1,
    countAdmins: async (senderId) => (await sql.all<{ n: number }>("SELECT count(*) AS n FROM users WHERE sender_id = ? AND role = 'admin'", [senderId]))[0]!.n,

    async createSession(session) {
      await sql.run('INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at) VALUES (?, ?, ?, ?)', [session.idHash, session.userId, session.createdAt, session.lastSeenAt]);
    },
    async touchSession(idHash, now, idleAfter, createdAfter) {
      const touched = await sql.run('UPDATE sessions SET last_seen_at = ? WHERE id_hash = ? AND last_seen_at > ? AND created_at > ?', [now, idHash, idleAfter, createdAfter]);
      if (touched !== 1) return undefined;
      const [row] = await sql.all<SessionRow>(
        `SELECT ${userColumns}, x.created_at AS "sessionCreatedAt", x.last_seen_at AS "lastSeenAt", s.name AS "senderName", s.created_at AS "senderCreatedAt"
         FROM sessions x JOIN users u ON u.id = x.user_id JOIN senders s ON s.id = u.sender_id WHERE x.id_hash = ? AND s.revoked_at IS NULL`,
        [idHash],
      );
      if (!row) return undefined;
      const { sessionCreatedAt, lastSeenAt, senderName, senderCreatedAt, ...user } = row;
      const found: SessionUser = {
        session: { idHash, userId: user.id, createdAt: sessionCreatedAt, lastSeenAt },
        user,
        sender: { id: user.senderId, name: senderName, createdAt: senderCreatedAt, revokedAt: null },
      };
      return found;
    },
    deleteSession: async (idHash) => (await sql.run('DELETE FROM sessions WHERE id_hash = ?', [idHash])) === 1,
    deleteExpiredSessions: (idleBefore, createdBefore) => sql.run('DELETE FROM sessions WHERE last_seen_at <= ? OR created_at <= ?', [idleBefore, createdBefore]),

    async addPasskey(p) {
      await unique('passkey_exists', 'this passkey is registered already', () =>
        sql.run(
          'INSERT INTO passkeys (id, user_id, name, public_key, counter, transports, prf, created_at, last_used_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
          [p.id, p.userId, p.name, p.publicKey, p.counter, JSON.stringify(p.transports), p.prf ? 1 : 0, p.createdAt, p.lastUsedAt],
        ),
      );
    },
    passkey: async (credentialId) => (await sql.all<PasskeyRow>(`SELECT ${passkeyColumns} FROM passkeys WHERE id = ?`, [credentialId])).map(passkeyOf)[0],
    listPasskeys: async (userId) => (await sql.all<PasskeyRow>(`SELECT ${passkeyColumns} FROM passkeys WHERE user_id = ? ORDER BY created_at`, [userId])).map(passkeyOf),
    usePasskey: async (credentialId, counter, now) =>
      (await sql.run('UPDATE passkeys SET counter = ?, last_used_at = ? WHERE id = ? AND (counter < ? OR (counter = 0 AND ? = 0))', [counter, now, credentialId, counter, counter])) === 1,
    deletePasskey: async (userId, credentialId) => (await sql.run('DELETE FROM passkeys WHERE id = ? AND user_id = ?', [credentialId, userId])) === 1,

    async receiptKey(userId) {
      const [row] = await sql.all<{ publicKey: string; wrapped: string }>('SELECT public_key AS "publicKey", wrapped FROM receipt_keys WHERE user_id = ?', [userId]);
      return row ? { publicKey: row.publicKey, wrapped: JSON.parse(row.wrapped) as never } : null;
    },
    async setReceiptKey(userId, key, now) {
      await sql.run(
        `INSERT INTO receipt_keys (user_id, public_key, wrapped, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (user_id) DO UPDATE SET public_key = excluded.public_key, wrapped = excluded.wrapped, updated_at = excluded.updated_at`,
        [userId, key.publicKey, JSON.stringify(key.wrapped), now],
      );
    },

    async addChallenge(c) {
      await sql.run('INSERT INTO webauthn_challenges (challenge_hash, purpose, user_id, expires_at) VALUES (?, ?, ?, ?)', [c.challengeHash, c.purpose, c.userId, c.expiresAt]);
    },
    takeChallenge: async (challengeHash, purpose, now) =>
      (
        await sql.all<{ challengeHash: string; purpose: 'authentication' | 'registration'; userId: string | null; expiresAt: number }>(
          'DELETE FROM webauthn_challenges WHERE challenge_hash = ? AND purpose = ? AND expires_at > ? RETURNING challenge_hash AS "challengeHash", purpose, user_id AS "userId", expires_at AS "expiresAt"',
          [challengeHash, purpose, now],
        )
      )[0],

    async startSignIn(s) {
      await sql.run(
        'INSERT INTO sign_ins (id_hash, sealed, status, hint_code, user_id, started_at, last_collect_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        [s.idHash, s.sealed, s.status, s.hintCode, s.userId, s.startedAt, s.lastCollectAt, s.expiresAt],
      );
    },
    signIn: async (idHash) => (await sql.all<SignInRecord>(`SELECT ${signInColumns} FROM sign_ins WHERE id_hash = ?`, [idHash]))[0],
    claimSignInCollect: async (idHash, lastCollectAt, leaseUntil) =>
      (await sql.run("UPDATE sign_ins SET last_collect_at = ? WHERE id_hash = ? AND last_collect_at = ? AND status = 'pending'", [leaseUntil, idHash, lastCollectAt])) === 1,
    async endSignInCollect(idHash, leaseUntil, now) {
      await sql.run('UPDATE sign_ins SET last_collect_at = ? WHERE id_hash = ? AND last_collect_at = ?', [now, idHash, leaseUntil]);
    },
    async setSignInHint(idHash, hintCode) {
      await sql.run("UPDATE sign_ins SET hint_code = ? WHERE id_hash = ? AND status = 'pending'", [hintCode, idHash]);
    },
    async endSignIn(idHash, status, hintCode, userId) {
      await sql.run("UPDATE sign_ins SET status = ?, hint_code = ?, user_id = ? WHERE id_hash = ? AND status = 'pending'", [status, hintCode, userId, idHash]);
    },
    async useSignIn(idHash) {
      const [row] = await sql.all<{ userId: string }>("UPDATE sign_ins SET status = 'used' WHERE id_hash = ? AND status = 'approved' RETURNING user_id AS \"userId\"", [idHash]);
      return row?.userId;
    },
    async deleteSignIn(idHash) {
      await sql.run('DELETE FROM sign_ins WHERE id_hash = ?', [idHash]);
    },
    deleteExpired: async (now) => (await sql.run('DELETE FROM sign_ins WHERE expires_at <= ?', [now])) + (await sql.run('DELETE FROM webauthn_challenges WHERE expires_at <= ?', [now])),

    listTokens: (senderId) =>
      sql.all(
        `SELECT substr(token_hash, 1, 22) AS id, COALESCE(name, '') AS name, created_at AS "createdAt" FROM api_tokens WHERE sender_id = ? AND revoked_at IS NULL ORDER BY created_at`,
        [senderId],
      ),
    addToken: async (senderId, tokenHash, name, now) =>
      (await sql.run('INSERT INTO api_tokens (token_hash, sender_id, created_at, name) SELECT ?, id, ?, ? FROM senders WHERE id = ? AND revoked_at IS NULL', [tokenHash, now, name, senderId])) === 1,
    revokeToken: async (senderId, tokenId, now) =>
      (await sql.run('UPDATE api_tokens SET revoked_at = ? WHERE sender_id = ? AND substr(token_hash, 1, 22) = ? AND revoked_at IS NULL', [now, senderId, tokenId])) === 1,
  };
}
