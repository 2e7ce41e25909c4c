import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Parts, SegmentCipher } from '../../shared/aes-gcm/types.js';
import * as nodeBackend from '../../shared/aes-gcm/node.js';
import * as webBackend from '../../shared/aes-gcm/web.js';

/** Both back ends in Node (the browser project cannot load node:crypto): the same bytes, the same refusals. */
const joined = (parts: Parts) => Buffer.concat(parts instanceof Uint8Array ? [parts] : [...parts]);

describe('AES-GCM back ends (node:crypto and WebCrypto) agree', () => {
  it('seal to the same bytes and open each other’s segments', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ minLength: 12, maxLength: 12 }),
        fc.uint8Array({ maxLength: 70_000 }),
        async (key, iv, plaintext) => {
          const ciphers: SegmentCipher[] = [nodeBackend.createSegmentCipher(key, 'encrypt'), await webBackend.createSegmentCipher(key, 'encrypt')];
          const [byNode, byWeb] = await Promise.all(ciphers.map(async (cipher) => joined(await cipher.seal(new Uint8Array(iv), new Uint8Array(plaintext)))));
          expect(byNode!.equals(byWeb!)).toBe(true);
          const openers: SegmentCipher[] = [nodeBackend.createSegmentCipher(key, 'decrypt'), await webBackend.createSegmentCipher(key, 'decrypt')];
          for (const opener of openers) {
            expect(Buffer.from(await opener.open(new Uint8Array(iv), new Uint8Array(byNode!))).equals(Buffer.from(plaintext))).toBe(true);
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('both refuse a flipped bit and give no plaintext', async () => {
    const key = new Uint8Array(32).fill(3);
    const iv = new Uint8Array(12);
    const sealed = joined(nodeBackend.createSegmentCipher(key, 'encrypt').seal(iv, new Uint8Array(100).fill(1)) as Parts);
    for (let bit = 0; bit < sealed.length * 8; bit += 97) {
      const altered = new Uint8Array(sealed);
      altered[bit >> 3]! ^= 1 << (bit & 7);
      expect(() => nodeBackend.createSegmentCipher(key, 'decrypt').open(iv, altered)).toThrow();
      await expect((await webBackend.createSegmentCipher(key, 'decrypt')).open(iv, altered)).rejects.toThrow();
    }
  });
});
