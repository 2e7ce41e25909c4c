import { createHash, timingSafeEqual } from 'node:crypto';
import { encodeBase64url } from '../../shared/base64url.js';
import { FormatError } from '../../shared/errors.js';
import { parseIdentityNumber } from '../../shared/identity-number.js';
import { BankIdError, encodeUserData } from '../bankid/index.js';
import type { AppDeps } from '../deps.js';
import { AppError } from '../errors.js';
import { bytesOf } from '../http/ids.js';
import { hashCapability, newCapability } from '../http/secrets.js';
import { liveLink } from '../links/live-link.js';
import { tooManyAttempts, type RateLimits } from './rate-limits.js';
import { sealSecrets } from './sealed-state.js';
import { emitEvent } from '../webhooks/events.js';

/** What the BankID app shows, in the recipient page's language (simpleMarkdownV1, markup taken out of the name). */
function userVisibleText(senderName: string, language: 'sv' | 'en'): string {
  const sender = senderName.replace(/[*#+_`\\]/g, '');
  return language === 'sv' ? `Öppna det säkra meddelandet från ${sender} i Sigill.` : `Open the secure message from ${sender} in Sigill.`;
}

export interface StartInput {
  linkId: string;
  authKey: string;
  personalNumber?: string | undefined;
  /** The recipient page's language: what BankID shows (userVisibleData) is in it. */
  language: 'sv' | 'en';
  ip: string;
  browserHash: string;
}

/**
 * Starts a verification (PROTOCOL.md §8.2): the caller proves it holds the whole link
 * (SHA-256(K_auth) = authVerifier) before any BankID order exists; then a BankID auth
 * order is made, with the personal number as a requirement when one is given.
 */
export async function startVerification(deps: AppDeps, limits: RateLimits, input: StartInput) {
  const { store, config, clock, bankId } = deps;
  const now = clock.now();
  const link = await liveLink(store, input.linkId, now);
  const tooMany = (message: string) => tooManyAttempts(message, config.rateWindowMs, now);

  // Wrong keys are counted per IP and per link apart. A caller's own failures stop it
  // (per IP); failures on a link stop only further wrong keys on it, never the right one
  // (a linkId is not secret: anyone could otherwise lock its recipient out).
  if (await limits.exhausted('key-failure:ip', input.ip, config.authKeyFailures * 4, now)) {
    throw tooMany('too many wrong keys from this address; wait a few minutes');
  }
  const authKey = bytesOf(input.authKey, 32, 'link_key_invalid', 'authKey');
  const verifier = Buffer.from(bytesOf(link.authVerifier, 32, 'link_key_invalid', 'authVerifier'));
  if (!timingSafeEqual(createHash('sha256').update(authKey).digest(), verifier)) {
    await limits.take('key-failure:ip', input.ip, config.authKeyFailures * 4, now);
    if (!(await limits.take('key-failure:link', link.id, config.authKeyFailures, now))) {
      throw tooMany('too many wrong keys for this link; wait a few minutes');
    }
    throw new AppError(403, 'link_key_invalid', 'the link is damaged: open it again from the SMS or email');
  }
  if (!(await limits.take('start:link', link.id, config.startsPerLink, now)) || !(await limits.take('start:ip', input.ip, config.startsPerIp, now))) {
    throw tooMany('too many identifications started; wait a few minutes');
  }

  let personalNumber: string | undefined;
  if (input.personalNumber !== undefined && input.personalNumber.trim() !== '') {
    try {
      personalNumber = parseIdentityNumber(input.personalNumber).digits;
    } catch (error) {
      const code = error instanceof FormatError ? error.code : 'identity_number_format';
      throw new AppError(400, code, error instanceof Error ? error.message : 'not a personal identity number');
    }
  }

  let order;
  try {
    order = await bankId.auth({
      endUserIp: input.ip,
      ...(personalNumber ? { requirement: { personalNumber } } : {}),
      userVisibleData: encodeUserData(userVisibleText(link.senderName, input.language)),
      userVisibleDataFormat: 'simpleMarkdownV1',
    });
  } catch (error) {
    if (error instanceof BankIdError && error.errorCode === 'alreadyInProgress') {
      throw new AppError(409, 'bankid_in_progress', 'an identification for this person is already in progress; finish or cancel it');
    }
    throw error;
  }

  const verificationId = newCapability();
  const startedAt = clock.now();
  await store.verifications.start({
    idHash: hashCapability(verificationId),
    linkId: link.id,
    browserHash: input.browserHash,
    sealed: sealSecrets(verificationId, { orderRef: order.orderRef, qrStartToken: order.qrStartToken, qrStartSecret: order.qrStartSecret, authKey: encodeBase64url(authKey) }),
    status: 'pending',
    hintCode: 'outstandingTransaction',
    startedAt,
    lastCollectAt: startedAt,
    expiresAt: startedAt + config.verificationMs,
  });
  await emitEvent(store, link.senderId, 'verification.started', { messageId: link.messageId, linkId: link.id }, startedAt);
  return { verificationId, autoStartToken: order.autoStartToken };
}
