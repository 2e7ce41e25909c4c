import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isQrAuthCodeValid, parseQrData, qrData, qrTimeAt } from '../../../server/bankid/index.js';

// BANKID.md §2: BankID's documented example, plus two times recomputed there.
const qrStartToken = '67df3917-fa0d-44e5-b327-edcc928297f8';
const qrStartSecret = 'd28db9a7-4cde-429e-a983-359be676944c';
const vectors: Array<[number, string]> = [
  [0, 'bankid.67df3917-fa0d-44e5-b327-edcc928297f8.0.dc69358e712458a66a7525beef148ae8526b1c71610eff2c16cdffb4cdac9bf8'],
  [1, 'bankid.67df3917-fa0d-44e5-b327-edcc928297f8.1.949d559bf23403952a94d103e67743126381eda00f0b3cbddbf7c96b1adcbce2'],
  [2, 'bankid.67df3917-fa0d-44e5-b327-edcc928297f8.2.a9e5ec59cb4eee4ef4117150abc58fad7a85439a6a96ccbecc3668b41795b3f3'],
  [10, 'bankid.67df3917-fa0d-44e5-b327-edcc928297f8.10.2822ca616ce1e64a1c171df69154ebc5adef4011244c867d6ad88a02db178962'],
  [29, 'bankid.67df3917-fa0d-44e5-b327-edcc928297f8.29.26049f2bc12d5b43ebe8bf701e7725abf015d2d8347aa04c924b5793ee4a196c'],
];

describe('animated QR code', () => {
  it.each(vectors)('matches the BANKID.md vector for qrTime %i', (qrTime, expected) => {
    expect(qrData({ qrStartToken, qrStartSecret, qrTime })).toBe(expected);
  });

  it('parses its own output back and recognises the auth code', () => {
    for (const [qrTime, text] of vectors) {
      const parsed = parseQrData(text);
      expect(parsed).toEqual({ qrStartToken, qrTime, qrAuthCode: text.split('.')[3] });
      expect(isQrAuthCodeValid(qrStartSecret, parsed!)).toBe(true);
      expect(isQrAuthCodeValid('another-secret', parsed!)).toBe(false);
    }
  });

  it('refuses content that is not BankID QR content', () => {
    for (const text of ['', 'bankid.x.0', 'bankid.67df3917.0.DC69', `bankid.${qrStartToken}.-1.${'a'.repeat(64)}`, `http.${qrStartToken}.0.${'a'.repeat(64)}`]) {
      expect(parseQrData(text)).toBeUndefined();
    }
  });

  it('counts whole seconds since the order started, rounding down', () => {
    expect(qrTimeAt(1_000, 1_000)).toBe(0);
    expect(qrTimeAt(1_000, 1_999)).toBe(0);
    expect(qrTimeAt(1_000, 2_000)).toBe(1);
    expect(qrTimeAt(1_000, 31_500)).toBe(30);
  });

  it('refuses a negative or fractional qrTime', () => {
    expect(() => qrData({ qrStartToken, qrStartSecret, qrTime: -1 })).toThrow(RangeError);
    expect(() => qrData({ qrStartToken, qrStartSecret, qrTime: 1.5 })).toThrow(RangeError);
  });
});

describe('QR content as a property', () => {
  it('round-trips any token, secret and time through parseQrData', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.uuid(), fc.nat({ max: 100_000 }), (token, secret, qrTime) => {
        const parsed = parseQrData(qrData({ qrStartToken: token, qrStartSecret: secret, qrTime }));
        return parsed !== undefined && parsed.qrStartToken === token && parsed.qrTime === qrTime && isQrAuthCodeValid(secret, parsed);
      }),
    );
  });
});
