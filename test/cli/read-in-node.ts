/**
 * The recipient's side without a browser, for tests of large attachments: client/'s
 * reading flow over real HTTP with a cookie jar, BankID proven through the simulator's
 * test app (opened by the autoStartToken, as the same-device flow does), each attachment
 * hashed as it is decrypted (never held whole).
 */
import { createHash } from 'node:crypto';
import { openAttachment, openContent, openLinkText, recipientApi, releaseOf, startReading, waitForVerification } from '../../client/index.js';
import { CookieJar } from '../server/cookie-jar.js';
import type { ServerProcess } from '../recipient/server-process.js';

export async function readInNode(server: ServerProcess, link: string, personalNumber: string): Promise<{ text: string; sha256: string[] }> {
  const jar = new CookieJar();
  const api = recipientApi({ baseUrl: server.origin, fetch: (url, init) => jar.fetch(url, init) });
  const opened = await openLinkText(api, link);
  const { verificationId, autoStartToken } = await startReading(api, opened, personalNumber);
  const { orderRef } = await server.control('/control/open', { autoStartToken, identity: { personalNumber } });
  await server.control(`/control/orders/${orderRef as string}/approve`, { identity: { personalNumber } });
  const state = await waitForVerification(api, verificationId);
  if (state.status !== 'approved') throw new Error(`the verification ended ${state.status}`);
  const release = releaseOf(opened, state.releaseToken);
  const content = await openContent(api, release);
  const sha256: string[] = [];
  for (const [i, attachment] of content.attachments.entries()) {
    const hash = createHash('sha256');
    const reader = (await openAttachment(api, release, i + 1, attachment)).getReader();
    for (let next = await reader.read(); !next.done; next = await reader.read()) hash.update(next.value);
    sha256.push(hash.digest('hex'));
  }
  return { text: content.text, sha256 };
}
