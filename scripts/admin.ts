/**
 * `npm run admin -- <command>`: manage sender accounts in the server's database
 * (SIGILL_DATA_DIR, default ./data). Tokens are printed once and stored only hashed.
 *
 *   create-sender --name "Bostadsbolaget AB"   make a sender and its first API token
 *   create-token --sender <id>                 another token for a sender
 *   list-senders                               senders, with their live token counts
 *   revoke-token                               revoke a token (read from standard input)
 *   revoke-sender --sender <id>                revoke a sender, its tokens and its live messages
 *   add-user --sender <id> --personal-number <12 digits> --name "…" --role admin|member
 *                                              a toolbox user (signs in with BankID; the number
 *                                              is stored only as a keyed hash)
 *   set-reply-to --sender <id> --address <a>   the sender's own address: server emails carry it
 *                                              as Reply-To (stored sealed); --clear removes it
 *   gateway-allow (--user <id> | --sender <id> --receipt-key <key>) --from <address>
 *                                              let a From address send through the mail
 *                                              gateway (SIGILL_GATEWAY=on) as that toolbox
 *                                              user (their receipt key), or as the sender
 *                                              with receipts sealed to that X25519 key
 *   gateway-disallow --from <address>          take that away
 *   migrate-store --to postgres://… [--blobs s3://…]
 *                                              copy the data folder into PostgreSQL (and
 *                                              object storage): docs/scale-out.md
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../server/config.js';
import { createSender, createToken, listSenders, revokeSender, revokeToken } from '../server/senders/senders.js';
import { ReplyToError, setReplyTo } from '../server/senders/reply-to.js';
import { openStorage } from '../server/store/open.js';
import { webhookKey } from '../server/webhooks/secrets.js';
import { gatewayHash } from '../server/gateway/tokens.js';
import { isEmailAddress } from '../server/delivery/email-config.js';
import { runMigrateStore } from './migrate-store.js';
import { accountKey } from '../server/accounts/identity.js';
import { addUser, UnknownSenderError } from '../server/accounts/users.js';
import { StoreError } from '../server/store/errors.js';
import { FormatError } from '../shared/errors.js';
import { parseIdentityNumber } from '../shared/identity-number.js';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    name: { type: 'string' },
    sender: { type: 'string' },
    to: { type: 'string' },
    blobs: { type: 'string' },
    'personal-number': { type: 'string' },
    role: { type: 'string' },
    address: { type: 'string' },
    clear: { type: 'boolean' },
    from: { type: 'string' },
    user: { type: 'string' },
    'receipt-key': { type: 'string' },
  },
});
const [command] = positionals;
const usage =
  'usage: npm run admin -- create-sender --name "<display name>" | create-token --sender <id> | list-senders | revoke-token (token on stdin) | revoke-sender --sender <id> | add-user --sender <id> --personal-number <number> --name "<name>" --role admin|member | set-reply-to --sender <id> (--address <address> | --clear) | gateway-allow (--user <id> | --sender <id> --receipt-key <key>) --from <address> | gateway-disallow --from <address> | migrate-store --to postgres://… [--blobs s3://…]';

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

if (command === 'migrate-store') {
  // Reads the data folder itself, read-only: opening the configured store would upgrade it.
  process.exit(await runMigrateStore({ dataDir: loadConfig().dataDir, to: values.to, blobs: values.blobs, env: process.env }));
}

const config = loadConfig();
const { store, blobs } = await openStorage(config);
const senders = store.senders;
const now = Date.now();
switch (command) {
  case 'create-sender': {
    if (!values.name) fail('create-sender needs --name "<what recipients see>"');
    const { sender, token } = await createSender(senders, values.name, now);
    console.log(`Sender ${sender.name} (${sender.id}) created.\nAPI token, shown once — keep it like a password:\n\n  ${token}\n`);
    break;
  }
  case 'create-token': {
    const token = values.sender ? await createToken(senders, values.sender, now) : undefined;
    if (!token) fail('no live sender with that --sender id');
    console.log(`API token, shown once:\n\n  ${token}\n`);
    break;
  }
  case 'list-senders':
    for (const sender of await listSenders(senders)) {
      console.log(`${sender.id}  ${sender.name}  tokens: ${sender.tokens}${sender.revokedAt ? '  (revoked)' : ''}`);
    }
    break;
  case 'revoke-token': {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    const token = Buffer.concat(chunks).toString('utf8').trim();
    console.log((await revokeToken(senders, token, now)) ? 'Token revoked.' : 'No live token matched.');
    break;
  }
  case 'revoke-sender':
    if (!values.sender) fail('revoke-sender needs --sender <id>');
    {
      const { revoked, messages } = await revokeSender({ store, blobs }, values.sender, now);
      console.log(`${revoked ? 'Sender and its tokens revoked' : 'No live sender with that id'}; ${messages} live message(s) revoked and their ciphertext deleted.`);
    }
    break;
  case 'add-user': {
    const { sender, name, role } = values;
    const personalNumber = values['personal-number'];
    if (!sender || !personalNumber || !name || (role !== 'admin' && role !== 'member')) fail('add-user needs --sender <id> --personal-number <number> --name "<name>" --role admin|member');
    let digits: string;
    try {
      digits = parseIdentityNumber(personalNumber).digits;
    } catch (error) {
      fail(`--personal-number: ${error instanceof FormatError ? error.message : 'not a personal identity number'}`);
    }
    try {
      const user = await addUser(store, accountKey(config), { senderId: sender, personalNumber: digits, name, role }, now);
      console.log(`User ${user.name} (${user.id}, ${user.role}) added; they sign in to the toolbox with BankID.`);
    } catch (error) {
      if (error instanceof UnknownSenderError) fail('no live sender with that --sender id');
      if (error instanceof StoreError && error.code === 'user_exists') fail('this person is already a user of that sender');
      if (error instanceof RangeError) fail(`--name: ${error.message}`);
      throw error;
    }
    break;
  }
  case 'set-reply-to': {
    if (!values.sender || (values.address === undefined) === !values.clear) fail('set-reply-to needs --sender <id> and either --address <address> or --clear');
    try {
      const set = await setReplyTo(senders, webhookKey(config), values.sender, values.clear ? null : values.address!);
      if (!set) fail('no live sender with that --sender id');
    } catch (error) {
      if (error instanceof ReplyToError) fail(error.message);
      throw error;
    }
    console.log(values.clear ? 'Reply-To removed: emails carry none.' : 'Reply-To set: the server’s emails for this sender carry it.');
    break;
  }
  case 'gateway-allow':
  case 'gateway-disallow': {
    if (!config.gateway.enabled) fail(`${command} needs SIGILL_GATEWAY=on (and SIGILL_GATEWAY_KEY outside the development defaults), as the server runs`);
    const from = values.from?.trim().toLowerCase() ?? '';
    if (!isEmailAddress(from)) fail(`${command} needs --from <the sender's email address>`);
    const addressHash = gatewayHash(config.gateway.key, 'from', from);
    if (command === 'gateway-disallow') {
      console.log((await store.gateway.disallow(addressHash)) ? 'That address may no longer send through the gateway.' : 'That address was not allowed.');
      break;
    }
    const receiptKey = values['receipt-key'] ?? null;
    if (receiptKey !== null && !/^[A-Za-z0-9_-]{43}$/.test(receiptKey)) fail('--receipt-key: the X25519 public key receipts are sealed to, base64url (43 characters)');
    const user = values.user ? await store.accounts.user(values.user) : undefined;
    if (values.user && !user) fail('no user with that --user id (npm run admin -- add-user)');
    const senderId = user?.senderId ?? values.sender;
    if (!senderId || !(await store.senders.byId(senderId))) fail('gateway-allow needs --user <id> (a toolbox user), or --sender <id> with --receipt-key');
    if (!user && !receiptKey) fail('gateway-allow --sender needs --receipt-key <the X25519 public key receipts are sealed to>; with --user, the user’s own receipt key is used');
    await store.gateway.allow({ addressHash, senderId, userId: user?.id ?? null, receiptKey, createdAt: now });
    console.log(user ? `That address may now send through the gateway as ${user.name}; their messages and receipts are theirs in the toolbox.` : 'That address may now send through the gateway as this sender.');
    break;
  }
  default:
    fail(usage);
}
await Promise.all([store.close(), blobs.close()]);
