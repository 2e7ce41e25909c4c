import { describe, expect, it, vi } from 'vitest';
import type { MessageList, MessageStatus } from '../../../shared/api.js';
import type { CreatedToken, UserListEntry } from '../../../shared/api/accounts.js';
import { sealMessage } from '../../../shared/seal-message.js';
import { alice, bob } from '../bankid/simulator-fixture.js';
import { origin, useServerPerTest, type TestServer } from '../harness.js';
import { signedInUser, type ToolboxBrowser } from './toolbox-browser.js';

// The file's BankID simulator makes two RSA PKIs: slow on a busy machine.
vi.setConfig({ hookTimeout: 120_000 });

/** Creates a message as this browser's user (the content is not uploaded: the status is enough). */
async function create(server: TestServer, browser: ToolboxBrowser): Promise<string> {
  const sealed = await sealMessage({ origin, errand: 'Ärende', text: 'Hej', attachments: [], recipients: [{ readers: '*' }], receiptKey: server.receiptKeys.receiptKey });
  const created = await browser.json<MessageStatus>('POST', '/api/v1/messages', sealed.request);
  return created.messageId;
}

describe('roles in the toolbox', () => {
  const context = useServerPerTest();
  const carol = '198112189876';

  it('a member never sees another member’s messages; an admin and an API token see all of the sender’s', async () => {
    const { server, bankId } = context;
    const anna = await signedInUser(server, bankId, alice.personalNumber, 'Alva Lindqvist', 'member');
    const per = await signedInUser(server, bankId, bob.personalNumber, 'Per Holm', 'member');
    const admin = await signedInUser(server, bankId, carol, 'Carola Admin', 'admin');
    const annas = await create(server, anna.browser);
    const pers = await create(server, per.browser);
    const [tokens] = await server.rows<{ user_id: string | null }>('SELECT user_id FROM messages WHERE id = ?', annas);
    expect(tokens!.user_id).toBe(anna.user.id);

    const listed = async (browser: ToolboxBrowser) => (await browser.json<MessageList>('GET', '/api/v1/messages')).messages.map((m) => m.messageId).sort();
    expect(await listed(anna.browser)).toEqual([annas]);
    expect(await listed(per.browser)).toEqual([pers]);
    expect(await listed(admin.browser)).toEqual([annas, pers].sort());
    const byToken = (await (await server.api('GET', '/api/v1/messages')).json()) as MessageList;
    expect(byToken.messages.map((m) => m.messageId).sort()).toEqual([annas, pers].sort());

    // Another member's message is not found, to read or to revoke; the admin may do both.
    expect((await anna.browser.request('GET', `/api/v1/messages/${pers}`)).status).toBe(404);
    expect((await anna.browser.request('DELETE', `/api/v1/messages/${pers}`)).status).toBe(404);
    expect((await anna.browser.request('GET', `/api/v1/messages/${annas}`)).status).toBe(200);
    expect((await admin.browser.request('GET', `/api/v1/messages/${pers}`)).status).toBe(200);
    expect((await admin.browser.request('DELETE', `/api/v1/messages/${pers}`)).status).toBe(200);
  });

  it('lets only admins manage users, tokens and webhooks', async () => {
    const { server, bankId } = context;
    const member = await signedInUser(server, bankId, alice.personalNumber, 'Alva Lindqvist', 'member');
    for (const [method, path, body] of [
      ['GET', '/api/v1/users', undefined],
      ['POST', '/api/v1/users', { personalNumber: bob.personalNumber, name: 'Per Holm', role: 'admin' }],
      ['GET', '/api/v1/tokens', undefined],
      ['POST', '/api/v1/tokens', { name: 'mine' }],
      ['GET', '/api/v1/webhooks', undefined],
      ['POST', '/api/v1/webhooks', { url: 'https://hooks.example.se/sigill' }],
      ['DELETE', '/api/v1/webhooks/ep_Zt0pL9xWc2QhR5vN8bKe1g', undefined],
    ] as const) {
      const response = await member.browser.request(method, path, body);
      expect(response.status, `${method} ${path}`).toBe(403);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('admin_only');
    }
  });

  it('an admin adds, changes and removes users, and keeps at least one admin', async () => {
    const { server, bankId } = context;
    const admin = await signedInUser(server, bankId, carol, 'Carola Admin', 'admin');
    const added = await admin.browser.json<UserListEntry>('POST', '/api/v1/users', { personalNumber: '19990807-2391', name: 'Test Testsson', role: 'member' });
    expect(added).toMatchObject({ name: 'Test Testsson', role: 'member', passkeys: 0 });
    expect(JSON.stringify(added)).not.toContain('2391');
    expect((await admin.browser.request('POST', '/api/v1/users', { personalNumber: '199908072391', name: 'Again', role: 'member' })).status).toBe(409);
    expect((await admin.browser.request('POST', '/api/v1/users', { personalNumber: '199908072392', name: 'Bad Luhn', role: 'member' })).status).toBe(400);
    const users = (await admin.browser.json<{ users: UserListEntry[] }>('GET', '/api/v1/users')).users;
    expect(users.map((u) => u.name)).toEqual(['Carola Admin', 'Test Testsson']);

    expect(await admin.browser.json('PATCH', `/api/v1/users/${added.id}`, { role: 'admin' })).toMatchObject({ role: 'admin' });
    expect((await admin.browser.request('DELETE', `/api/v1/users/${added.id}`)).status).toBe(204);
    const last = await admin.browser.request('PATCH', `/api/v1/users/${admin.user.id}`, { role: 'member' });
    expect(last.status).toBe(409);
    expect(((await last.json()) as { error: { code: string } }).error.code).toBe('last_admin');
  });

  it('an admin makes an API token shown once and revokes it', async () => {
    const { server, bankId } = context;
    const admin = await signedInUser(server, bankId, carol, 'Carola Admin', 'admin');
    const made = await admin.browser.json<CreatedToken>('POST', '/api/v1/tokens', { name: 'Fastighetssystemet' });
    expect(made.token).toMatch(/^sgl_/);
    expect((await server.api('GET', '/api/v1/senders/me', undefined, made.token)).status).toBe(200);
    const listed = (await admin.browser.json<{ tokens: { id: string; name: string }[] }>('GET', '/api/v1/tokens')).tokens;
    expect(listed.map((t) => t.name)).toEqual(['', 'Fastighetssystemet']);
    expect(JSON.stringify(listed)).not.toContain(made.token);
    expect((await admin.browser.request('DELETE', `/api/v1/tokens/${made.id}`)).status).toBe(204);
    expect((await server.api('GET', '/api/v1/senders/me', undefined, made.token)).status).toBe(401);
    expect((await admin.browser.request('DELETE', `/api/v1/tokens/${made.id}`)).status).toBe(404);
  });
});
