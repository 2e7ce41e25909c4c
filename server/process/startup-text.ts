import type { Config } from '../config.js';
import { isDevelopment } from '../config.js';

export interface StartupFacts {
  /** Where this server answers (http://host:port as listened on). */
  url: string;
  workers: number;
  testAppUrl?: string | undefined;
  /** The demo sender's token, on the start that made it. */
  demoToken?: string | undefined;
  /** The sender a new token is for, when there is exactly one. */
  senderId?: string | undefined;
}

/**
 * What `npm start` prints: where the server is, whether it is a development server, and
 * on the development defaults the next steps (send yourself a message, the extension, a
 * new token). One host name throughout: the printed URL is the public origin links use.
 */
export function startupText(config: Config, facts: StartupFacts): string {
  const origin = config.publicOrigin;
  const workers = facts.workers === 1 ? '1 worker' : `${facts.workers} workers`;
  const lines = [`Sigill is running at ${origin}  (${workers})`];
  if (config.publicOriginSet && origin !== facts.url) lines.push(`  Listening on     ${facts.url}`);
  const development = isDevelopment(config);
  if (development) {
    lines.push('  DEVELOPMENT SERVER: the BankID simulator approves any test identity and the SMS outbox shows every link. Not for real messages.');
  }
  lines.push(`  API description  ${origin}/api/openapi.json`);
  if (development && config.smsTransport === 'outbox') lines.push(`  SMS outbox       ${origin}/dev/outbox`);
  if (facts.testAppUrl) lines.push(`  BankID test app  ${facts.testAppUrl}  (the simulator; approve identifications here)`);
  lines.push(`  Data folder      ${config.dataDir}`);
  if (facts.demoToken) lines.push('', 'A demo sender was created. Its API token (shown once):', '', `  ${facts.demoToken}`);
  const newToken = `npm run admin -- create-token --sender ${facts.senderId ?? '<id from npm run admin -- list-senders>'}`;
  if (!development) {
    lines.push('', `Senders: npm run admin -- create-sender --name "…"; another token: ${newToken}`, '');
    return lines.join('\n');
  }
  lines.push(
    '',
    'Next steps:',
    `  1. Send yourself a message: npm run sigill -- login --server ${origin}   (paste the token)`,
    '     npm run sigill -- send --to "<your mobile>&login=199908072391" --errand "Test" --text -   (type the text, then Ctrl-D)',
    `     Open its link from ${origin}/dev/outbox and approve as Test Testsson in the BankID test app.`,
    `  2. The extension: load dist/extension unpacked (chrome://extensions, Developer mode); in its options enter ${origin} and the token.`,
    `  3. A new token on a later start: ${newToken}`,
    '',
  );
  return lines.join('\n');
}
