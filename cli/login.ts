/**
 * `sigill login --server URL` and `sigill logout`. The token is typed on the terminal
 * without echo, or read from standard input; it is checked with the server
 * (GET /senders/me) before it is kept, in settings.json (0600).
 *
 * @example
 * sigill login --server http://localhost:8787 < token-file
 */
import { senderApi } from '../client/index.js';
import { parseCommandLine } from './args.js';
import { serverOrigin, commandContext, fetchFor } from './context.js';
import { UsageError } from './errors.js';
import type { Output } from './output.js';
import { readSecret } from './terminal-input.js';
import { texts } from './texts.js';

export async function login(argv: string[], output: Output): Promise<number> {
  const { values } = parseCommandLine(argv, { options: { server: { type: 'string' } }, positionals: [], required: 0 });
  const context = commandContext(values.config as string | undefined, process.env);
  const t = texts[context.language];
  const stored = await context.stores.settings.load();
  const serverText = (values.server as string | undefined) ?? context.env.SIGILL_SERVER ?? stored.serverUrl;
  if (!serverText) throw new UsageError('server_missing', 'say which server: sigill login --server URL');
  const serverUrl = serverOrigin(serverText);
  const token = await readSecret(t.tokenPrompt, 'token_missing', t.tokenMissing);
  const sender = await senderApi({ baseUrl: serverUrl, token, fetch: fetchFor(serverUrl) }).me();
  await context.stores.settings.save({ serverUrl, token, senderName: sender.name, recipientLanguage: stored.recipientLanguage ?? context.language });
  output.line(t.signedIn(serverUrl, sender.name, context.dir.path));
  return 0;
}

export async function logout(argv: string[], output: Output): Promise<number> {
  const { values } = parseCommandLine(argv, { options: {}, positionals: [], required: 0 });
  const context = commandContext(values.config as string | undefined, process.env);
  const stored = await context.stores.settings.load();
  if (stored.serverUrl) {
    await context.stores.settings.save({ serverUrl: stored.serverUrl, token: null, senderName: null, recipientLanguage: stored.recipientLanguage ?? context.language });
  }
  output.line(texts[context.language].signedOut);
  return 0;
}
