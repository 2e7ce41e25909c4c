import { describe, expect, it } from 'vitest';
import { fitSms, linkIn, SmsTextError } from '../../../server/delivery/sms-parts.js';

const link = 'https://sigill.se/o/AAAAAAAAAAAAAAAAAAAAAA#BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB'; // 86 characters
const short = 'https://s.se/o/A#B'; // 18, to count UCS-2 parts

const codeOf = (run: () => unknown) => {
  try {
    run();
    return 'none';
  } catch (error) {
    return error instanceof SmsTextError ? error.code : 'other';
  }
};

describe('SMS parts', () => {
  it('fits 160 GSM-7 characters in one part and 153 per part beyond', () => {
    const pad = (n: number) => `${link} ${'a'.repeat(n - link.length - 1)}`;
    expect(fitSms(pad(160), link)).toMatchObject({ encoding: 'gsm7', parts: 1, reflowed: false });
    expect(fitSms(pad(161), link)).toMatchObject({ encoding: 'gsm7', parts: 2, reflowed: false });
    expect(fitSms(pad(306), link)).toMatchObject({ parts: 2 });
    expect(fitSms(pad(307), link)).toMatchObject({ parts: 3 });
  });

  it('counts the extension characters twice and Swedish letters once', () => {
    expect(fitSms(`${'å'.repeat(37)} ${link}`, link).parts).toBe(1); // 37 + 1 + 86 = 124
    expect(fitSms(`${'€'.repeat(36)} ${link}`, link).parts).toBe(1); // 72 + 1 + 86 = 159
    expect(fitSms(`${'€'.repeat(37)} ${link}`, link).parts).toBe(2); // 74 + 1 + 86 = 161
  });

  it('makes the whole text UCS-2 for one character outside GSM-7: 70, then 67 per part', () => {
    expect(fitSms(`${'ł'.repeat(51)} ${short}`, short)).toMatchObject({ encoding: 'ucs2', parts: 1 }); // 70
    expect(fitSms(`${short} ${'ł'.repeat(52)}`, short)).toMatchObject({ encoding: 'ucs2', parts: 2 }); // 71
    expect(fitSms(`${short} ${'😀'.repeat(34)}`, short)).toMatchObject({ encoding: 'ucs2', parts: 2 }); // 19 + 68 units, no pair split
  });

  it('reflows a text whose link a part boundary would cut: spaces move the link to the next part', () => {
    const text = `${'a'.repeat(140)} ${link}`;
    const fitted = fitSms(text, link);
    expect(fitted).toMatchObject({ encoding: 'gsm7', parts: 2, reflowed: true });
    expect(fitted.text).toBe(`${'a'.repeat(140)}${' '.repeat(12)} ${link}`);
    expect(fitted.text.indexOf(link)).toBe(153);
  });

  it('puts the padding at the end of the line before the link, where it shows as nothing', () => {
    const text = `${'a'.repeat(140)}\n${link}`;
    expect(fitSms(text, link).text).toBe(`${'a'.repeat(140)}${' '.repeat(12)}\n${link}`);
  });

  it('reflows typographic quotes and dashes to GSM-7, since a UCS-2 part is shorter than the link', () => {
    const fitted = fitSms(`Ditt ”kontrakt” – öppna: ${link}`, link);
    expect(fitted).toMatchObject({ encoding: 'gsm7', parts: 1, reflowed: true, text: `Ditt "kontrakt" - öppna: ${link}` });
  });

  it('refuses a text that needs UCS-2 with a link longer than a part, and one longer than six parts', () => {
    expect(codeOf(() => fitSms(`Hej 😀 ${link}`, link))).toBe('sms_link_split');
    expect(codeOf(() => fitSms(`${'a'.repeat(153 * 6)} ${link}`, link))).toBe('sms_too_long');
    expect(codeOf(() => fitSms(`${'a'.repeat(153 * 5)} ${link}`, link))).toBe('none');
  });

  it('finds the link in the text by its link id, up to the next whitespace', () => {
    expect(linkIn(`Öppna: ${link} tack`, 'AAAAAAAAAAAAAAAAAAAAAA')).toBe(link);
    expect(linkIn(`Öppna: ${link}`, 'CCCCCCCCCCCCCCCCCCCCCC')).toBeUndefined();
  });
});
