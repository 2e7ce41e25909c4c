/**
 * The stream figures again on the WebCrypto back end, the one browsers run, for
 * reference. run.ts starts this file with `node --conditions=browser`, under which
 * package.json's #aes-gcm resolves to shared/aes-gcm/web.ts. In Node every WebCrypto
 * call hops to a worker thread, which is why Node itself uses node:crypto.
 */
import { createSegmentCipher } from '#aes-gcm';
import { benchStreams } from './stream.js';

if (!(createSegmentCipher(new Uint8Array(32), 'encrypt') instanceof Promise)) {
  throw new Error('expected the WebCrypto back end: start this file with node --conditions=browser');
}
await benchStreams('WebCrypto');
