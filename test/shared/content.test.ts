import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkAttachmentSize, encodeContent, openErrand, parseContent, sealErrand } from '../../shared/content.js';
import { FormatError } from '../../shared/errors.js';
import { deriveKeys } from '../../shared/keys.js';
import { collect } from '../../shared/stream.js';

const keys = deriveKeys(new Uint8Array(32).fill(1), new Uint8Array(16).fill(2));
const codeOf = (action: () => unknown) => {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(FormatError);
    return (error as FormatError).code;
  }
};

describe('errand', () => {
  it('round-trips any text up to 500 characters, as NFC', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'grapheme', maxLength: 120 }), async (text) => {
        fc.pre([...text.normalize('NFC')].length <= 500);
        expect(await openErrand(keys, await sealErrand(keys, text))).toBe(text.normalize('NFC'));
      }),
      { numRuns: 30 },
    );
    expect(await openErrand(keys, await sealErrand(keys, 'A\u030a'))).toBe('Å');
  });

  it('refuses more than 500 characters', async () => {
    await expect(sealErrand(keys, 'ö'.repeat(501))).rejects.toMatchObject({ code: 'errand_too_long' });
    expect(await openErrand(keys, await sealErrand(keys, '😀'.repeat(500)))).toHaveLength(1000);
  });
});

describe('content document', () => {
  it('round-trips and refuses documents of other shapes', () => {
    const document = { v: 1 as const, text: 'Hej', html: '<p>Hej</p>', attachments: [{ name: 'a.pdf', type: 'application/pdf', size: 3 }] };
    expect(parseContent(encodeContent(document))).toEqual(document);
    const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
    expect(codeOf(() => parseContent(bytes({ ...document, v: 2 })))).toBe('content_version_unsupported');
    expect(codeOf(() => parseContent(bytes({ v: 1, attachments: [] })))).toBe('content_invalid');
    expect(codeOf(() => parseContent(bytes({ v: 1, text: '', attachments: [{ name: 'x', type: 't', size: -1 }] })))).toBe('content_invalid');
    expect(codeOf(() => parseContent(new Uint8Array([0xff, 0xfe])))).toBe('content_invalid');
    expect(codeOf(() => parseContent(bytes([1])))).toBe('content_invalid');
  });

  it('refuses an attachment whose length is not its declared size', async () => {
    const run = (size: number, bytes: number) =>
      collect(new Blob([new Uint8Array(bytes)]).stream().pipeThrough(checkAttachmentSize({ name: 'a', type: 'b', size })));
    await expect(run(3, 3)).resolves.toHaveLength(3);
    await expect(run(3, 2)).rejects.toMatchObject({ code: 'attachment_size_mismatch' });
    await expect(run(3, 4)).rejects.toMatchObject({ code: 'attachment_size_mismatch' });
  });
});
