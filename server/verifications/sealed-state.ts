import { hashCapability, openWithCapability, sealWithCapability } from '../http/secrets.js';
import type { Store, VerificationRecord } from '../store/types.js';

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

/** The verification of this id, found by the id's hash. */
export function findVerification(store: Store, verificationId: string): Promise<VerificationRecord | undefined> {
  return store.verifications.get(hashCapability(verificationId));
}

export const sealSecrets = (verificationId: string, secrets: VerificationSecrets) => sealWithCapability(verificationId, secrets);
export const openSecrets = (verificationId: string, row: VerificationRecord) => openWithCapability<VerificationSecrets>(verificationId, row.sealed);
