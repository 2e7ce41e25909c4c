import { hashCapability, openWithCapability, sealWithCapability } from '../http/secrets.js';
import type { Db } from '../store/database.js';

/**
 * A verification in the database. What it must remember and nobody may read at rest
 * (the BankID orderRef and QR secrets, K_auth, and after approval the name and the
 * release token) is `sealed` under a key derived from the verificationId; the row is
 * found by the id's hash. Without the browser's verificationId the row reveals nothing.
 */
export interface VerificationSecrets {
  orderRef: string;
  qrStartToken: string;
  qrStartSecret: string;
  /** K_auth, base64url: needed to compute the verified identity's tags at completion. */
  authKey: string;
  name?: string;
  releaseToken?: string;
}

export type VerificationStatus = 'pending' | 'failed' | 'denied' | 'approved' | 'exhausted';

export interface VerificationRow {
  id_hash: string;
  link_id: string;
  browser_hash: string;
  sealed: string;
  status: VerificationStatus;
  hint_code: string | null;
  started_at: number;
  last_collect_at: number;
  expires_at: number;
}

export function findVerification(db: Db, verificationId: string): VerificationRow | undefined {
  return db.prepare('SELECT * FROM verifications WHERE id_hash = ?').get(hashCapability(verificationId)) as VerificationRow | undefined;
}

export const sealSecrets = (verificationId: string, secrets: VerificationSecrets) => sealWithCapability(verificationId, secrets);
export const openSecrets = (verificationId: string, row: VerificationRow) => openWithCapability<VerificationSecrets>(verificationId, row.sealed);
