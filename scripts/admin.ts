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
 *   migrate-store --to postgres://… [--blobs s3://…]
 *                                              copy the data folder into PostgreSQL (and
 *                                              object storage): docs/scale-out.md
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../server/config.js';
import { createSender, createToken, listSenders, revokeSender, revokeToken } from '../server/senders/senders.js';
import { openStorage } from '../server/store/open.js';
import { runMigrateStore } from './migrate-store.js';
import { accountKey } from '../server/accounts/identity.js';
import { addUser, UnknownSenderError } from '../server/accounts/users.js';
import { StoreError } from '../server/store/errors.js';
import { FormatError } from '../shared/errors.js';
import { parseIdentityNumber } from '../shared/identity-number.js';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { name: { type: 'string' }, sender: { type: 'string' }, to: { type: 'string' }, blobs: { type: 'string' }, 'personal-number': { type: 'string' }, role: { type: 'string' } },
});
const [command] = positionals;
const usage = 'usage: npm run admin -- create-sender --name "<display name>" | create-token --sender <id> | list-senders | revoke-token (token on stdin) | revoke-sender --sender <id> | add-user --sender <id> --personal-number <number> --name "<name>" --role admin|member | migrate-store --to postgres://… [--blobs s3://…]';

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
  default:
    fail(usage);
}
await Promise.all([store.close(), blobs.close()]);
