import { describe, expect, it } from 'vitest';
import { BankIdError, rfaTexts, userMessage } from '../../../server/bankid/index.js';

describe('recommended user messages (RFA)', () => {
  it.each([
    ['pending', 'outstandingTransaction', { flow: 'qr' }, 'RFA1'],
    ['pending', 'outstandingTransaction', { flow: 'autostart' }, 'RFA13'],
    ['pending', 'noClient', {}, 'RFA1'],
    ['pending', 'started', { device: 'computer' }, 'RFA15A'],
    ['pending', 'started', { device: 'mobile' }, 'RFA15B'],
    ['pending', 'userMrtd', {}, 'RFA23'],
    ['pending', 'userSign', {}, 'RFA9'],
    ['pending', 'userCallConfirm', {}, 'RFA21'],
    ['pending', 'somethingNew', {}, 'RFA21'],
    ['failed', 'expiredTransaction', {}, 'RFA8'],
    ['failed', 'certificateErr', {}, 'RFA16'],
    ['failed', 'userCancel', {}, 'RFA6'],
    ['failed', 'cancelled', {}, 'RFA3'],
    ['failed', 'startFailed', { flow: 'qr' }, 'RFA17B'],
    ['failed', 'startFailed', { flow: 'autostart' }, 'RFA17A'],
    ['failed', 'userDeclinedCall', {}, 'RFA22'],
    ['failed', 'notSupportedByUserApp', {}, 'RFA22'],
    ['failed', 'transactionRiskBlocked', {}, 'RFA22'],
    ['failed', 'somethingNew', {}, 'RFA22'],
  ] as const)('%s/%s (%o) → %s', (status, hintCode, context, rfa) => {
    expect(userMessage({ status, hintCode }, 'en', context).rfa).toBe(rfa);
  });

  it.each([
    ['alreadyInProgress', 'RFA4'],
    ['requestTimeout', 'RFA5'],
    ['internalError', 'RFA5'],
    ['maintenance', 'RFA5'],
    ['cancelled', 'RFA3'],
    ['invalidParameters', 'RFA5'],
    ['unknownNewCode', 'RFA22'],
  ])('errorCode %s → %s', (errorCode, rfa) => {
    expect(userMessage({ errorCode }, 'sv').rfa).toBe(rfa);
  });

  it('gives RFA5 for a call that failed without an answer', () => {
    expect(userMessage(new BankIdError('timeout', 'BankID auth did not answer in time'), 'en')).toEqual({ rfa: 'RFA5', text: 'Internal error. Please try again.' });
  });

  it('has Swedish and English text for every message, and they differ', () => {
    for (const [rfa, texts] of Object.entries(rfaTexts)) {
      expect(texts.sv.length, rfa).toBeGreaterThan(5);
      expect(texts.en.length, rfa).toBeGreaterThan(5);
      expect(texts.sv, rfa).not.toBe(texts.en);
    }
    expect(userMessage({ status: 'pending', hintCode: 'userSign' }, 'sv').text).toBe('Skriv in din säkerhetskod i BankID-appen och välj Identifiera eller Skriv under.');
  });
});
