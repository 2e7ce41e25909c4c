import { describe, expect, it } from 'vitest';
import { ApiError } from '../../client/errors.js';
import { planRecipients } from '../../client/link-plan.js';
import { receiptKeyRing } from '../../client/receipt-keys.js';
import { resendDelivery } from '../../client/resend.js';
import { sendMessage } from '../../client/send.js';
import { sentMessage } from '../../client/status.js';
import { memoryStores } from '../../client/stores.js';
import { smsText } from '../../client/texts.js';
import { decodeBase64url } from '../../shared/base64url.js';
import { openLabel } from '../../shared/labels.js';
import { useServerPerTest } from '../server/harness.js';

const context = useServerPerTest();
const codeOf = (promise: Promise<unknown>) => promise.then(() => 'resolved', (error: unknown) => (error instanceof ApiError ? error.code : String(error)));

async function sendWithFailingSms() {
  const outbox = context.server.outbox;
  const working = outbox.send.bind(outbox);
  outbox.send = async () => {
    throw new Error('the SMS provider is down');
  };
  const stores = memoryStores();
  const keys = receiptKeyRing(stores.keys);
  const sent = await sendMessage(
    { api: context.server.sender, keys, sent: stores.sent, uploads: 'stream' },
    { links: planRecipients('070-123 45 67&login=200211242383', { email: 'server' }), errand: 'Ditt hyresavtal', text: 'Hej!', attachments: [], language: 'sv' },
  );
  outbox.send = working;
  return { sent, keys, stores };
}

describe('resendDelivery: the link travels only in the label sealed to the sender', () => {
  it('the sealed label carries the link; the status view and the sent log never do', async () => {
    const { sent, keys, stores } = await sendWithFailingSms();
    const status = await context.server.sender.message(sent.messageId);
    const privateKey = (await keys.privateKeyFor(status.receiptKey))!;
    const label = await openLabel(privateKey, decodeBase64url(sent.messageId, 16), decodeBase64url(sent.links[0]!.linkId, 16), decodeBase64url(status.links[0]!.label!));
    expect(label).toEqual({ channel: 'sms', to: '+46701234567', readers: ['se-pnr:200211242383'], link: sent.links[0]!.link });
    const view = await sentMessage({ api: context.server.sender, keys, sent: stores.sent }, sent.messageId);
    expect(view.links[0]!.label).toEqual({ channel: 'sms', to: '+46701234567', readers: ['se-pnr:200211242383'] });
    expect(view.links[0]!.resendable).toBe(true);
    expect(JSON.stringify(view)).not.toContain(sent.links[0]!.link.split('#')[1]);
    expect(JSON.stringify(await stores.sent.list())).not.toContain(sent.links[0]!.link.split('#')[1]);
  });

  it('a failed SMS is relayed again with the same link, once; a sent one is not resent', async () => {
    const { sent, keys, stores } = await sendWithFailingSms();
    expect(sent.links[0]!.delivery).toBe('sms_failed');
    expect(context.server.outbox.entries()).toHaveLength(0);
    const resent = await resendDelivery({ api: context.server.sender, keys }, sent.messageId, sent.links[0]!.linkId, { language: 'en' });
    expect(resent.delivery).toBe('sms_sent');
    const [sms] = context.server.outbox.entries();
    expect(sms!.to).toBe('+46701234567');
    expect(sms!.text.replace(/ +\n/, '\n')).toBe(smsText('Ditt hyresavtal', sent.links[0]!.link, 'en'));
    const view = await sentMessage({ api: context.server.sender, keys, sent: stores.sent }, sent.messageId);
    expect(view.links[0]!.deliveries.map((delivery) => delivery.state)).toEqual(['failed', 'sent']);
    expect(view.links[0]!.resendable).toBe(false);
    expect(await codeOf(resendDelivery({ api: context.server.sender, keys }, sent.messageId, sent.links[0]!.linkId, { language: 'en' }))).toBe('delivery_not_failed');
    expect(context.server.outbox.entries()).toHaveLength(1);
  });

  it('a device without the receipt keys cannot resend, and an unknown link is refused', async () => {
    const { sent, keys } = await sendWithFailingSms();
    const stranger = receiptKeyRing(memoryStores().keys);
    expect(await codeOf(resendDelivery({ api: context.server.sender, keys: stranger }, sent.messageId, sent.links[0]!.linkId, { language: 'sv' }))).toBe('receipt_key_missing');
    expect(await codeOf(resendDelivery({ api: context.server.sender, keys }, sent.messageId, 'AAAAAAAAAAAAAAAAAAAAAA', { language: 'sv' }))).toBe('link_not_found');
    expect(context.server.outbox.entries()).toHaveLength(0);
  });
});
