/**
 * The development email outbox with several workers (SIGILL_WORKERS=2): it stays in the
 * primary's memory (its emails carry whole links, which never touch the disk) and every
 * worker hands its emails to it, so /dev/outbox shows the emails relayed by either
 * worker, whichever worker serves the page.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { emailBody } from '../../../client/texts.js';
import type { ServerProcess } from '../server-process.js';
import { freshFetch, seal, startWorkers, store, workerOf } from '../workers-harness.js';

let root: string;
let server: ServerProcess & { testAppUrl: string };
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'sigill-email-outbox-workers-'));
  server = await startWorkers(root, 'email-outbox', { SIGILL_WORKERS: '2' });
}, 90_000);
afterAll(async () => {
  await server?.stop();
  rmSync(root, { recursive: true, force: true });
}, 60_000);

it('shows the emails relayed by either worker, with their links, from either worker', async () => {
  const sealed = await seal();
  await store(server, sealed);
  const linkId = sealed.request.recipients[0]!.linkId;
  const sent: string[] = [];
  const relayers = new Set<number>();
  for (let i = 0; i < 4; i++) {
    const to = `mottagare${i}@example.se`;
    const relayed = await freshFetch(`${server.url}/api/v1/messages/${sealed.request.messageId}/deliveries`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ channel: 'email', linkId, to, text: emailBody(`Ärende ${i}`, sealed.links[0]!, 'sv') }),
    });
    expect(relayed.status).toBe(202);
    expect(await relayed.clone().json()).toMatchObject({ status: 'sent' });
    relayers.add(await workerOf(server, relayed));
    sent.push(to);
  }
  expect(relayers.size).toBe(2);
  const pages = new Set<number>();
  for (let i = 0; i < 4 && pages.size < 2; i++) {
    const outbox = await freshFetch(`${server.url}/dev/outbox.json`);
    pages.add(await workerOf(server, outbox));
    const { email } = (await outbox.json()) as { email: { to: string; subject: string; text: string }[] };
    expect(email.map((entry) => entry.to).sort()).toEqual(sent);
    for (const entry of email) expect(entry.text).toContain(sealed.links[0]);
    expect(email.map((entry) => entry.subject).sort()).toEqual(['Ärende 0', 'Ärende 1', 'Ärende 2', 'Ärende 3']);
  }
  expect(pages.size).toBe(2);
  const html = await (await freshFetch(`${server.url}/dev/outbox`)).text();
  expect(html).toContain('mottagare3@example.se');
}, 60_000);
