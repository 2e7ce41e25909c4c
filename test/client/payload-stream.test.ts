/**
 * Reading a payload over a connection that breaks: client/'s resumingPayload asks the
 * real server again with a Range from the last whole sealed segment, and the plaintext
 * comes out whole and right; a refusal is not retried.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { memoryStores } from '../../client/stores.js';
import { planRecipients } from '../../client/link-plan.js';
import { receiptKeyRing } from '../../client/receipt-keys.js';
import { openAttachment, releaseOf } from '../../client/read.js';
import { sendMessage } from '../../client/send.js';
import { ApiError } from '../../client/errors.js';
import type { RecipientApi } from '../../client/recipient-api.js';
import { collect, sealedSegmentBytes } from '../../shared/stream.js';
import { Recipient, useServerPerTest, verifyAs } from '../server/harness.js';

const alva = '200211242383';
const context = useServerPerTest();

async function sendAttachment(bytes: Uint8Array) {
  const stores = memoryStores();
  const sent = await sendMessage(
    { api: context.server.sender, keys: receiptKeyRing(stores.keys), sent: stores.sent, uploads: 'stream' },
    {
      links: planRecipients(`anna@example.se&login=${alva}`, { email: 'webmail' }),
      errand: 'Röntgenbilder',
      text: 'Bilderna bifogas.',
      attachments: [{ name: 'bilder.zip', type: 'application/zip', size: bytes.length, open: () => new Blob([new Uint8Array(bytes)]).stream() }],
      language: 'sv',
    },
  );
  const recipient = new Recipient(context.server.app, sent.links[0]!.link);
  const { state, opened } = await verifyAs(context.server, context.bankId, recipient, alva);
  if (state.status !== 'approved') throw new Error(`not approved: ${state.status}`);
  return { recipient, release: releaseOf(opened, state.releaseToken) };
}

/** The recipient's API, with each of the first `cuts` bodies of payload 1 broken after `after` bytes, as a dropped connection does. */
function cutting(api: RecipientApi, cuts: number[], starts: number[]): RecipientApi {
  return {
    ...api,
    async payload(linkId, index, releaseToken, options) {
      starts.push(options?.start ?? 0);
      const body = await api.payload(linkId, index, releaseToken, options);
      const after = cuts.shift();
      if (after === undefined) return body;
      const reader = body.getReader();
      let passed = 0;
      return new ReadableStream<Uint8Array>({
        async pull(controller) {
          const next = await reader.read();
          if (next.done) return controller.close();
          if (passed + next.value.length > after) {
            controller.enqueue(next.value.subarray(0, after - passed));
            await reader.cancel();
            controller.error(new TypeError('network error'));
            return;
          }
          passed += next.value.length;
          controller.enqueue(next.value);
        },
      });
    },
  };
}

describe('resumingPayload', () => {
  it('goes on after two cuts from the last whole segment, by Range, and the attachment is whole', async () => {
    const bytes = new Uint8Array(randomBytes(3 * 1024 * 1024 + 4321));
    const { recipient, release } = await sendAttachment(bytes);
    const starts: number[] = [];
    const interruptions: number[] = [];
    const cutAt = 5 * sealedSegmentBytes + 1000;
    const api = cutting(recipient.api, [cutAt, 7 * sealedSegmentBytes], starts);
    const attachment = { name: 'bilder.zip', type: 'application/zip', size: bytes.length };
    const plaintext = await openAttachment(api, release, 1, attachment, undefined, { pauseMs: 1, onInterrupted: (from) => interruptions.push(from) });
    expect(Buffer.from(await collect(plaintext)).equals(Buffer.from(bytes))).toBe(true);
    // The first cut is inside segment 5: it asks from segment 5 on; the second, 7 segments on from there.
    expect(starts).toEqual([0, 5 * sealedSegmentBytes, 12 * sealedSegmentBytes]);
    expect(interruptions).toEqual([5 * sealedSegmentBytes, 12 * sealedSegmentBytes]);
  });

  it('gives up after its attempts when the connection keeps breaking, and the stream errors', async () => {
    const bytes = new Uint8Array(randomBytes(1024 * 1024));
    const { recipient, release } = await sendAttachment(bytes);
    const starts: number[] = [];
    const api = cutting(recipient.api, [100_000, 0, 0, 0], starts);
    const attachment = { name: 'bilder.zip', type: 'application/zip', size: bytes.length };
    const plaintext = await openAttachment(api, release, 1, attachment, undefined, { attempts: 3, pauseMs: 1 });
    await expect(collect(plaintext)).rejects.toThrow(TypeError);
    expect(starts).toEqual([0, sealedSegmentBytes, sealedSegmentBytes, sealedSegmentBytes]);
  });

  it('does not retry a refusal: an unknown release token is a 401 from the call itself', async () => {
    const { recipient, release } = await sendAttachment(new Uint8Array(randomBytes(1000)));
    const starts: number[] = [];
    const api = cutting(recipient.api, [], starts);
    const attachment = { name: 'bilder.zip', type: 'application/zip', size: 1000 };
    const refused = openAttachment(api, { ...release, releaseToken: 'A'.repeat(43) }, 1, attachment, undefined, { pauseMs: 1 });
    await expect(refused).rejects.toSatisfy((error) => error instanceof ApiError && error.status === 401);
    expect(starts).toEqual([0]);
  });
});
