/**
 * A message sent and read through a real server process (server-process.ts): created,
 * uploaded, opened, verified with the simulator's test app, and its payloads fetched.
 */
import { expect } from 'vitest';
import { encodeBase64url } from '../../../shared/base64url.js';
import { deriveKeys } from '../../../shared/keys.js';
import { parseLink } from '../../../shared/link.js';
import { generateReceiptKeyPair } from '../../../shared/receipts.js';
import { sealMessage, type SealedMessage } from '../../../shared/seal-message.js';
import { identityFor, type BankIdSimulator } from '../../../server/bankid/index.js';
import { CookieJar, type ServerProcess } from '../server-process.js';

export async function sealWith(attachmentSizes: number[], readers: '*' | string[] = '*'): Promise<SealedMessage> {
  const attachments = attachmentSizes.map((size, i) => {
    const bytes = new Uint8Array(size).map((_, n) => n % 251);
    return { name: `bilaga-${i + 1}.pdf`, type: 'application/pdf', size, open: () => new Blob([bytes]).stream() };
  });
  return sealMessage({
    origin: 'http://localhost:8787',
    errand: 'Ditt avtal',
    text: 'Avtalet finns i bilagorna.',
    attachments,
    // The label and the sender's copy hold a phone number and a personal identity number, sealed.
    recipients: [{ readers, label: { channel: 'sms', to: '070-123 45 67', readers: ['se-pnr:199908072391'] } }],
    senderCopy: { errand: 'Ditt avtal', attachments: attachments.map((a) => a.name) },
    receiptKey: (await generateReceiptKeyPair()).receiptKey,
  });
}

/** Creates and uploads `sealed` as the process's demo sender. */
export async function sendThrough(server: ServerProcess, sealed: SealedMessage): Promise<void> {
  const auth = { authorization: `Bearer ${server.token}` };
  const created = await fetch(`${server.url}/api/v1/messages`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(sealed.request) });
  expect(created.status).toBe(201);
  for (const payload of sealed.payloads) {
    const body = new Uint8Array(await new Response(payload.stream()).arrayBuffer());
    const put = await fetch(`${server.url}/api/v1/messages/${sealed.request.messageId}/payloads/${payload.index}`, { method: 'PUT', headers: { ...auth, 'content-type': 'application/octet-stream' }, body });
    expect(put.status).toBe(200);
  }
}

/** Opens the first link in a new browser, verifies as `personalNumber`; returns the browser, linkId and release token. */
export async function verifyThrough(server: ServerProcess, simulator: BankIdSimulator, sealed: SealedMessage, personalNumber = '199908072391') {
  const link = parseLink(sealed.links[0]!);
  const linkId = encodeBase64url(link.linkId);
  const browser = new CookieJar();
  const info = (await (await browser.fetch(`${server.url}/api/v1/links/${linkId}`)).json()) as { messageId: string };
  const authKey = encodeBase64url(deriveKeys(link.secret, Buffer.from(info.messageId, 'base64url')).auth);
  const started = await browser.fetch(`${server.url}/api/v1/links/${linkId}/verifications`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ authKey }) });
  expect(started.status).toBe(201);
  const { verificationId, autoStartToken } = (await started.json()) as { verificationId: string; autoStartToken: string };
  const identity = identityFor(personalNumber);
  const { orderRef } = simulator.testApp.openByAutoStartToken(autoStartToken, { identity });
  simulator.testApp.approve(orderRef, identity);
  let state: { status: string; releaseToken?: string } = { status: 'pending' };
  for (let i = 0; i < 100 && state.status === 'pending'; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    state = (await (await browser.fetch(`${server.url}/api/v1/verifications/${verificationId}`)).json()) as typeof state;
  }
  expect(state.status).toBe('approved');
  return { browser, linkId, releaseToken: state.releaseToken! };
}
