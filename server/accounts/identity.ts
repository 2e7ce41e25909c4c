import { createHmac } from 'node:crypto';
import { FormatError } from '../../shared/errors.js';
import { parseIdentityNumber } from '../../shared/identity-number.js';
import type { Config } from '../config.js';
import { AppError } from '../errors.js';
import { configuredKey } from '../http/key-file.js';

/**
 * A user's identity as the database holds it: HMAC-SHA256 under the account key
 * (SIGILL_ACCOUNT_KEY, or the data folder's `account.key`), never the personal identity
 * number itself, so that someone who has only the database can neither read nor test
 * numbers.
 *
 * @example
 * const hash = pnrHash(accountKey(config), '199908072391');
 */
export const accountKey = (config: Pick<Config, 'accountKey' | 'dataDir'>) => configuredKey(config.accountKey, config.dataDir, 'account.key');

export function pnrHash(key: Buffer, personalNumber: string): string {
  return createHmac('sha256', key).update(`sigill/account/se-pnr:${personalNumber}`).digest('base64url');
}

/** The 12 digits of a personal identity number typed by a person; a 400 with shared/'s code otherwise. */
export function personalNumberOf(text: string): string {
  try {
    return parseIdentityNumber(text).digits;
  } catch (error) {
    const code = error instanceof FormatError ? error.code : 'identity_number_format';
    throw new AppError(400, code, error instanceof Error ? error.message : 'not a personal identity number');
  }
}
