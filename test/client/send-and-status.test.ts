import { describe, expect, it } from 'vitest';
import { memoryStores } from '../../client/stores.js';
import { planLinks, planRecipients } from '../../client/link-plan.js';
import { receiptKeyRing } from '../../client/receipt-keys.js';
import { readMessage, releaseOf } from '../../client/read.js';
import { sendMessage } from '../../client/send.js';
import { sentMessage, sentMessages } from '../../client/status.js';
import { emailBody, smsText } from '../../client/texts.js';
import { ApiError } from '../../client/errors.js';
import { parseRecipients } from '../../shared/address.js';
import { Recipient, useServerPerTest, verifyAs } from '../server/harness.js';

const alva = '200211242383';
const per = '196802020575';
const context = useServerPerTest();

async function sendToTwo() {
  const stores = memoryStores();
  const keys = receiptKeyRing(stores.keys);
  const sending = { api: context.server.sender, keys, sent: stores.sent, uploads: 'stream' as const };
  const progress: number[] = [];
  const sent = await sendMessage(
    { ...sending, onProgress: (step) => progress.push(step.messageSent) },
    {
      links: planRecipients(`070-123 45 67&login=${alva}, anna@example.se?login=*, bo@example.se&login=19680202*`, { email: 'webmail' }),
      errand: 'Ditt hyresavtal',
      text: 'Hej! Här är avtalet.',
      attachments: [{ name: 'avtal.txt', type: 'text/plain', size: 5, open: () => new Blob(['avtal']).stream() }],
      language: 'en',
    },
  );
  return { stores, keys, sent, progress };
}

describe('sendMessage', () => {
  it('seals, uploads with progress, relays the SMS link and hands back the webmail link', async () => {
    const { sent, progress } = await sendToTwo();
    expect(sent.links.map((link) => [link.channel, link.to, link.delivery])).toEqual([
      ['sms', ['+46701234567'], 'sms_sent'],
      ['email', ['anna@example.se', 'bo@example.se'], 'hand_over'],
    ]);
    expect(sent.links[1]!.readers).toBe('*');
    const [sms] = context.server.outbox.entries();
    expect(sms!.to).toBe('+46701234567');
    // Two parts: the server pads the line before the link so the link starts the second part whole.
    expect(sms!.text.replace(/ +\n/, '\n')).toBe(smsText('Ditt hyresavtal', sent.links[0]!.link, 'en'));
    expect(sms!.text.indexOf(sent.links[0]!.link)).toBe(153);
    expect(sent.links[1]!.text).toBe(emailBody('Ditt hyresavtal', sent.links[1]!.link, 'en'));
    expect(progress.at(-1)).toBe((await context.server.sender.message(sent.messageId)).payloads.reduce((sum, p) => sum + p.length, 0));
  });

  it('a failed SMS relay keeps the message and hands its link back with the server’s code', async () => {
    context.server.outbox.send = async () => {
      throw new Error('the SMS provider is down');
    };
    const { sent, keys, stores } = await sendToTwo();
    expect(sent.links[0]).toMatchObject({ channel: 'sms', delivery: 'sms_failed', error: { code: 'transport_failed' } });
    expect(sent.links[0]!.link).toContain('/o/');
    const [view] = await sentMessages({ api: context.server.sender, keys, sent: stores.sent });
    expect(view!.links[0]).toMatchObject({ deliveredAt: null, deliveryFailed: true, sms: { state: 'failed', reason: 'transport_failed', recipient: '+46…67', offerResend: true } });
  });

  it('links point at the public origin the server reports', async () => {
    const { sent } = await sendToTwo();
    expect(sent.links[0]!.link.startsWith(`${context.server.deps.config.publicOrigin}/o/`)).toBe(true);
  });

  it('a recipient reads it through client/ and the sender sees who read, with the label, from one request', async () => {
    const { sent, keys, stores } = await sendToTwo();
    const recipient = new Recipient(context.server.app, sent.links[0]!.link);
    const { state, opened } = await verifyAs(context.server, context.bankId, recipient, alva);
    if (state.status !== 'approved') throw new Error(`not approved: ${state.status}`);
    const message = await readMessage(recipient.api, releaseOf(opened, state.releaseToken));
    expect(message.content.text).toBe('Hej! Här är avtalet.');
    expect(new TextDecoder().decode(message.attachments[0])).toBe('avtal');

    let requests = 0;
    const api = { ...context.server.sender, messages: (query?: object) => (requests++, context.server.sender.messages(query)) };
    const [view] = await sentMessages({ api, keys, sent: stores.sent });
    expect(requests).toBe(1);
    expect(view!.errand).toBe('Ditt hyresavtal');
    expect(view!.attachments).toEqual(['avtal.txt']);
    const [smsLink, emailLink] = view!.links;
    expect(smsLink!.label).toEqual({ channel: 'sms', to: '+46701234567', readers: [`se-pnr:${alva}`] });
    expect(smsLink!.deliveredAt).not.toBeNull();
    expect(smsLink!.sms).toMatchObject({ state: 'sent', reason: null, parts: 2, offerResend: false });
    expect(emailLink!.sms).toBeNull();
    expect(smsLink!.openedAt).not.toBeNull();
    expect(smsLink!.verificationStartedAt).not.toBeNull();
    expect(smsLink!.reads).toEqual([{ name: 'Alva Lindqvist', identity: `se-pnr:${alva}`, at: expect.any(String) }]);
    expect(emailLink!.label).toEqual({ channel: 'email', to: 'anna@example.se, bo@example.se', readers: ['*'] });
    expect(emailLink!.reads).toEqual([]);
  });

  it('a second device with the imported key backup and no sent log shows the same labels, errand and readers', async () => {
    const { sent, keys } = await sendToTwo();
    const recipient = new Recipient(context.server.app, sent.links[0]!.link);
    expect((await verifyAs(context.server, context.bankId, recipient, alva)).state.status).toBe('approved');
    const other = receiptKeyRing(memoryStores().keys);
    await other.importBackup(await keys.exportBackup());
    const view = await sentMessage({ api: context.server.sender, keys: other }, sent.messageId);
    expect(view.errand).toBe('Ditt hyresavtal');
    expect(view.links[0]!.label?.to).toBe('+46701234567');
    expect(view.links[0]!.reads.map((read) => read.name)).toEqual(['Alva Lindqvist']);
  });

  it('a stranger’s keys open nothing: no label, no errand, the receipt counted as unreadable', async () => {
    const { sent } = await sendToTwo();
    expect((await verifyAs(context.server, context.bankId, new Recipient(context.server.app, sent.links[0]!.link), alva)).state.status).toBe('approved');
    const view = await sentMessage({ api: context.server.sender, keys: receiptKeyRing(memoryStores().keys) }, sent.messageId);
    expect(view.errand).toBeNull();
    expect(view.links[0]!.label).toBeNull();
    expect(view.links[0]!.reads).toEqual([]);
    expect(view.links[0]!.unreadableReceipts).toBe(1);
  });

  it('a denied identity shows as a denied attempt', async () => {
    const { sent, keys, stores } = await sendToTwo();
    expect((await verifyAs(context.server, context.bankId, new Recipient(context.server.app, sent.links[0]!.link), per)).state.status).toBe('denied');
    const [view] = await sentMessages({ api: context.server.sender, keys, sent: stores.sent });
    expect(view!.links[0]!.deniedAttempts).toBe(1);
    expect(view!.links[0]!.reads).toEqual([]);
  });

  it('refuses a message without an errand or recipients with a stable code, before any request', async () => {
    const stores = memoryStores();
    const sending = { api: context.server.sender, keys: receiptKeyRing(stores.keys), sent: stores.sent };
    const input = { links: planRecipients('anna@example.se?login=*', { email: 'webmail' }), errand: ' ', text: 'x', attachments: [], language: 'sv' as const };
    await expect(sendMessage(sending, input)).rejects.toMatchObject({ code: 'errand_missing' });
    await expect(sendMessage(sending, { ...input, errand: 'Hej', links: [] })).rejects.toMatchObject({ code: 'recipients_missing' });
    await expect(sendMessage(sending, { ...input, errand: 'Hej', links: [{ channel: 'sms', to: ['0701234567'], readers: [] }] })).rejects.toMatchObject({ code: 'readers_missing' });
    expect((await context.server.sender.messages()).messages).toEqual([]);
  });

  it('revoke answers with the revoked status; the server’s errors arrive as ApiError with status and code', async () => {
    const { sent } = await sendToTwo();
    expect((await context.server.sender.revoke(sent.messageId)).state).toBe('revoked');
    const error = await context.server.sender.message('AAAAAAAAAAAAAAAAAAAAAA').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 404, code: 'message_not_found' });
  });
});

describe('the link plan', () => {
  const addresses = parseRecipients(`0701234567&login=${alva}, anna@example.se&login=${per}, bo@example.se&login=19680202*`);
  it('one link for the webmail’s email recipients, with everyone’s readers', () => {
    expect(planLinks(addresses, { email: 'webmail' })).toEqual([
      { channel: 'sms', to: ['+46701234567'], readers: [`se-pnr:${alva}`] },
      { channel: 'email', to: ['anna@example.se', 'bo@example.se'], readers: [`se-pnr:${per}`, 'se-pnr:19680202*'] },
    ]);
  });
  it('one link per email recipient when the server delivers the email', () => {
    expect(planLinks(addresses, { email: 'server' }).map((link) => link.to)).toEqual([['+46701234567'], ['anna@example.se'], ['bo@example.se']]);
  });
});

describe('texts that carry a link', () => {
  it('are Swedish or English, errand first and the link last', () => {
    const link = 'https://sigill.example/o/AAAAAAAAAAAAAAAAAAAAAA#secret';
    expect(smsText('Kallelse', link, 'sv')).toBe(`Kallelse\nMeddelandet är skyddat: öppna länken och legitimera dig med BankID för att läsa det.\n${link}`);
    expect(emailBody('Notice', link, 'en')).toBe(`Notice\n\nThe message is protected: open the link and identify yourself with BankID to read it.\n${link}`);
  });
});
