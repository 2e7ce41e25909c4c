import { describe, expect, it } from 'vitest';
import { createSegmentCipher } from '#aes-gcm';

/**
 * package.json's `#aes-gcm` picks the platform's native AES-GCM: node:crypto in Node
 * (synchronous), WebCrypto in a browser (a promise per call). Picking the wrong one still
 * works but loses the speed `npm run bench` checks, so the choice itself is tested.
 */
describe('#aes-gcm', () => {
  const inBrowser = typeof window !== 'undefined';

  it(`is ${inBrowser ? 'WebCrypto in the browser' : 'node:crypto in Node'}`, async () => {
    const made = createSegmentCipher(new Uint8Array(32), 'encrypt');
    expect(made instanceof Promise).toBe(inBrowser);
    const sealed = (await made).seal(new Uint8Array(12), new Uint8Array(5));
    expect(sealed instanceof Promise).toBe(inBrowser);
  });
});
