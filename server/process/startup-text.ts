import type { Config } from '../config.js';
import { isDevelopment } from '../config.js';
import { demoAdmin } from '../accounts/demo-admin.js';

export interface StartupFacts {
  /** Where this server answers: http://<host>:<port listened on>, localhost for loopback (as the default public origin). */
  url: string;
  workers: number;
  testAppUrl?: string | undefined;
  /** The demo sender's token, on the start that made it. */
  demoToken?: string | undefined;
  /** Whether the demo sender's admin (a simulator test identity) exists: the toolbox sign-in line. */
  demoAdmin?: boolean | undefined;
  /** The sender a new token is for, when there is exactly one. */
  senderId?: string | undefined;
  /** Whether this checkout has the `sigill` CLI (`npm run sigill`). */
  cli: boolean;
}

/**
 * What `npm start` prints: where the server is, whether it is a development server, and
 * on the development defaults the next steps (send yourself a message, the extension, a
 * new token). One host name throughout: the printed URL is the public origin links use.
 */
export function startupText(config: Config, facts: StartupFacts): string {
  const origin = config.publicOrigin;
  const url = facts.url;
  const workers = facts.workers === 1 ? '1 worker' : `${facts.workers} workers`;
  const lines = [`Sigill is running at ${url}  (${workers})`];
  if (origin !== url) lines.push(`  Public origin    ${origin}  (links point here)`);
  const development = isDevelopment(config);
  if (development) {
    lines.push('  DEVELOPMENT SERVER: BankID is simulated (any test identity passes) and SMS go to the outbox. Not for real messages.');
  }
  lines.push(`  API description  ${url}/api/openapi.json`);
  if (development && config.smsTransport === 'outbox') lines.push(`  SMS outbox       ${url}/dev/outbox`);
  if (facts.testAppUrl) lines.push(`  BankID test app  ${facts.testAppUrl}  (the simulator; approve identifications here)`);
  if (development && facts.demoAdmin) lines.push(`  Toolbox          ${url}/toolbox/  (Sign in with BankID as ${demoAdmin.name}, ${demoAdmin.personalNumber}, in the test app)`);
  lines.push(`  Data folder      ${config.dataDir}`);
  if (facts.demoToken) lines.push('', 'A demo sender was created. Its API token (shown once):', '', `  ${facts.demoToken}`);
  const newToken = `npm run admin -- create-token --sender ${facts.senderId ?? '<id from npm run admin -- list-senders>'}`;
  if (!development) {
    lines.push('', `Senders: npm run admin -- create-sender --name "…"; another token: ${newToken}`, '');
    return lines.join('\n');
  }
  const extension = `load dist/extension unpacked (chrome://extensions, Developer mode); in its options enter ${url} and the token.`;
  const open = `Open its link from ${url}/dev/outbox and approve as Test Testsson (199908072391) in the BankID test app.`;
  lines.push('', 'Next steps:');
  if (facts.cli) {
    lines.push(
      `  1. Send yourself a message: npm run sigill -- login --server ${url}   (paste the token)`,
      '     npm run sigill -- send --to "<your mobile>&login=199908072391" --errand "Test" --text -   (type the text, then Ctrl-D)',
      `     ${open}`,
      `  2. The extension: ${extension}`,
    );
  } else {
    lines.push(`  1. The extension: ${extension}`, `     Send securely from Gmail or Outlook on the web to your mobile with &login=199908072391. ${open}`);
  }
  lines.push(`  ${facts.cli ? 3 : 2}. A new token on a later start: ${newToken}`, '');
  return lines.join('\n');
}
