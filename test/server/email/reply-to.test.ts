import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { emailBody } from '../../../client/texts.js';
import { Recipient } from '../harness.js';
import { useSmtpServerPerTest } from './smtp-server-fixture.js';

/**
 * Reply-To: set on a sender with `npm run admin -- set-reply-to` (a real process on the
 * server's data folder), the emails the server sends for that sender carry it, through a
 * real STARTTLS SMTP server parsed with mailparser; without it, or after `--clear`, they
 * carry none. The address is stored sealed, never in the clear.
 */
const run = promisify(execFile);
const address = 'kundtjanst@bostadsbolaget.se';

describe('a sender’s Reply-To', () => {
  const context = useSmtpServerPerTest();
  const admin = (...args: string[]) =>
    run(process.execPath, ['--import', 'tsx', 'scripts/admin.ts', ...args], { env: { ...process.env, SIGILL_DATA_DIR: context.server.dataDir, SIGILL_BANKID: 'simulator' } }).then(
      ({ stdout }) => ({ code: 0, output: stdout }),
      (error: { code: number; stderr: string }) => ({ code: error.code, output: error.stderr }),
    );
  const senderId = async () => (await context.server.rows<{ id: string }>('SELECT id FROM senders'))[0]!.id;
  /** Emails one recipient through POST …/deliveries; returns the parsed message. */
  const email = async () => {
    const sealed = await context.server.send({ errand: 'Ditt hyresavtal', recipients: [{ readers: '*' }] });
    const link = sealed.links[0]!;
    const before = context.peer.received.length;
    const response = await context.app.request(`/api/v1/messages/${sealed.request.messageId}/deliveries`, {
      method: 'POST',
      headers: { authorization: `Bearer ${context.server.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ channel: 'email', linkId: new Recipient(context.server.app, link).linkId, to: 'anna@example.se', text: emailBody('Ditt hyresavtal', link, 'sv') }),
    });
    expect(response.status).toBe(202);
    expect(context.peer.received).toHaveLength(before + 1);
    return context.peer.received.at(-1)!.parsed;
  };

  it('is absent until the admin command sets it, then every email carries it, until --clear', async () => {
    expect((await email()).replyTo).toBeUndefined();
    const set = await admin('set-reply-to', '--sender', await senderId(), '--address', address);
    expect(set).toMatchObject({ code: 0, output: expect.stringContaining('Reply-To set') });
    const parsed = await email();
    expect(parsed.replyTo?.value).toEqual([{ address, name: '' }]);
    expect(parsed.from?.value[0]?.name).toBe('Bostadsbolaget');
    expect((await admin('set-reply-to', '--sender', await senderId(), '--clear')).code).toBe(0);
    expect((await email()).replyTo).toBeUndefined();
  }, 60_000);

  it('is stored sealed: the address is in no row and no database file', async () => {
    expect((await admin('set-reply-to', '--sender', await senderId(), '--address', address)).code).toBe(0);
    const [row] = await context.server.rows<{ sealed_reply_to: string }>('SELECT sealed_reply_to FROM senders');
    expect(row!.sealed_reply_to).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect((await email()).replyTo?.value[0]?.address).toBe(address);
    const files = readdirSync(context.server.dataDir).filter((file) => file.includes('.db') || file.includes('sqlite'));
    expect(files.length).toBeGreaterThan(0);
    for (const name of files) {
      expect(readFileSync(join(context.server.dataDir, name)).includes(Buffer.from('bostadsbolaget.se'))).toBe(false);
    }
  }, 60_000);

  it('refuses an address that is not one, and an unknown sender, with a message and exit code 2', async () => {
    expect(await admin('set-reply-to', '--sender', await senderId(), '--address', 'kundtjanst(at)example.se')).toMatchObject({ code: 2, output: expect.stringContaining('plain address') });
    expect(await admin('set-reply-to', '--sender', 'no-such-sender', '--address', address)).toMatchObject({ code: 2, output: expect.stringContaining('no live sender') });
    expect(await admin('set-reply-to', '--sender', await senderId())).toMatchObject({ code: 2 });
    expect((await email()).replyTo).toBeUndefined();
  }, 60_000);
});
