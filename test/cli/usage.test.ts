/**
 * The CLI's refusals and exit codes (0 success, 1 failure, 2 usage), run as typed
 * (`npm run -s sigill -- …`): a token is never taken from an argument, the secret text
 * neither; mistyped addresses name the entry and the reason; a server that went away
 * is a clear failure; help in English and Swedish; SIGILL_SERVER and SIGILL_TOKEN.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerProcess } from '../recipient/server-process.js';
import { newDevice, sigill, sigillOnTerminal } from './cli-process.js';
import { startCliServer } from './recipients.js';

let server: ServerProcess;
const device = newDevice();

beforeAll(async () => {
  server = await startCliServer();
  const login = await sigill(['login', '--server', server.origin], { configDir: device, stdin: server.token });
  expect(login.code).toBe(0);
}, 180_000);

afterAll(async () => {
  await server?.close();
}, 60_000);

describe('sigill refuses and explains', { timeout: 180_000 }, () => {
  it('never takes a token from an argument, and never echoes or stores one given that way', async () => {
    const fresh = newDevice();
    for (const args of [
      ['login', '--server', server.origin, '--token', server.token],
      ['login', '--server', server.origin, `--token=${server.token}`],
      ['login', '--server', server.origin, server.token],
      ['status', server.token],
    ]) {
      const run = await sigill(args, { configDir: fresh });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('(token_in_argument)');
      expect(run.stdout + run.stderr).not.toContain(server.token);
    }
    expect(existsSync(fresh)).toBe(false);
  });

  it('asks for the token on a terminal and does not show it as it is typed', async () => {
    const fresh = newDevice();
    const run = await sigillOnTerminal(['login', '--server', server.origin], { configDir: fresh, prompt: 'API token (not shown as you type): ', typed: server.token });
    expect(run.screen).toContain('API token (not shown as you type): ');
    expect(run.screen).toContain(`Signed in to ${server.origin} as Sigill demo.`);
    expect(run.screen).not.toContain(server.token.slice(4, 12));
    expect(run.code).toBe(0);
    expect(readFileSync(join(fresh, 'settings.json'), 'utf8')).toContain(server.token); // kept, 0600, for the next command
  });

  it('asks for the token when none came, and refuses a token the server does not know with its code', async () => {
    const fresh = newDevice();
    const empty = await sigill(['login', '--server', server.origin], { configDir: fresh });
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('(token_missing)');
    const wrong = await sigill(['login', '--server', server.origin], { configDir: fresh, stdin: 'sgl_not-a-real-token-at-all\n' });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/sigill: error: .+ \(\w+\)/);
    expect(wrong.stderr).not.toContain('sgl_not-a-real-token');
    expect(existsSync(join(fresh, 'settings.json'))).toBe(false);
  });

  it('never takes the message text from an argument', async () => {
    const run = await sigill(['send', '--to', '0701234567&login=*', '--errand', 'Hej', '--text', 'the secret part'], { configDir: device });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('(text_in_argument)');
  });

  it('names each mistyped address with its entry and reason, exit 2, and sends nothing', async () => {
    const run = await sigill(['send', '--to', '070123&login=199908072391, anna@example.se, bo@exampl?login=*, 0701234567&login=19990807', '--errand', 'Hej', '--text', '-'], {
      configDir: device,
      stdin: 'text',
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('recipient 1 (070123): not a valid phone number [phone_invalid]');
    expect(run.stderr).toContain('recipient 2 (anna@example.se): say who may read: add &login=<personal identity number>, or &login=* for anyone [login_missing]');
    expect(run.stderr).toContain('recipient 3 (bo@exampl): not a valid email address [email_invalid]');
    expect(run.stderr).toMatch(/recipient 4 \(\+46701234567\): login=: a leading part needs its \* at the end.+ \[login_pattern_star_missing\]/);
    expect(run.stderr).not.toContain('199908072391');
    const json = await sigill(['send', '--to', 'anna@example.se, bo@exampl?login=*', '--errand', 'Hej', '--text', '-', '--json'], { configDir: device, stdin: 'text' });
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout).error.problems).toEqual([
      { entry: 1, address: 'anna@example.se', code: 'login_missing', reason: expect.any(String) },
      { entry: 2, address: 'bo@exampl', code: 'email_invalid', reason: 'not a valid email address' },
    ]);
    const { messages } = (await (await fetch(`${server.origin}/api/v1/messages`, { headers: { authorization: `Bearer ${server.token}` } })).json()) as { messages: unknown[] };
    expect(messages).toEqual([]);
  });

  it('prints per recipient what happened, the server emails the --lang text to the email recipient, and takes the text from standard input', async () => {
    const run = await sigill(['send', '--to', '0701234567&login=199908072391, bo@example.se?login=19800101*', '--errand', 'Kallelse', '--text', '-', '--lang', 'sv'], {
      configDir: device,
      stdin: 'Välkommen på tisdag.\n',
    });
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/^Message [\w-]{22} sent; its links work until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\.$/);
    expect(lines.slice(2, 5)).toEqual([
      '  RECIPIENT            MAY READ      WHAT HAPPENED',
      '  SMS +46701234567     199908072391  SMS sent',
      '  email bo@example.se  19800101*     email sent',
    ]);
    // Both went out through the server (the development outbox here): no link is printed.
    expect(run.stdout).not.toMatch(/\/o\//);
    const { email } = (await (await fetch(`${server.origin}/dev/outbox.json`)).json()) as { email: { to: string; text: string }[] };
    const text = email.find((entry) => entry.to === 'bo@example.se')?.text ?? '';
    expect(text).toContain('Meddelandet är skyddat: öppna länken och legitimera dig med BankID för att läsa det.');
    expect(text).toMatch(/http:\/\/localhost:\d+\/o\/[\w-]{22}#[\w-]{43}/);
    expect(run.stderr).toBe(''); // a small message: no progress
  });

  it('draws the upload progress as a bar in place on a terminal', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'sigill-cli-files-'));
    writeFileSync(join(folder, 'msg.txt'), 'Se bilagan.');
    writeFileSync(join(folder, 'ritning.pdf'), randomBytes(2 * 1024 * 1024));
    const run = await sigillOnTerminal(['send', '--to', '0701234567&login=199908072391', '--errand', 'Ritningen', '--text-file', join(folder, 'msg.txt'), '--attach', join(folder, 'ritning.pdf')], {
      configDir: device,
    });
    expect(run.code).toBe(0);
    expect(run.screen).toMatch(/\r\[#{10,40}\] Uploading 2\.0 MiB \/ 2\.0 MiB \(100%\)\u001b\[K \d+\.\d s\r?\n/);
    expect(run.screen).toMatch(/SMS \+46701234567\s+199908072391\s+SMS sent/);
  });

  it('refuses unknown commands and options, a bad --expires and --read-limit, with exit 2', async () => {
    const cases: [string[], string][] = [
      [['sned'], 'command_unknown'],
      [['status', '--verbose'], 'option_unknown'],
      [['send', '--to', '0701234567&login=*', '--errand', 'Hej', '--text', '-', '--expires', 'soon'], 'expires_invalid'],
      [['send', '--to', '0701234567&login=*', '--errand', 'Hej', '--text', '-', '--read-limit', '0'], 'read_limit_invalid'],
      [['send', '--to', '0701234567&login=*', '--errand', 'Hej', '--text', '-', '--lang', 'de'], 'lang_invalid'],
      [['send', '--errand', 'Hej', '--text', '-'], 'to_missing'],
      [['revoke'], 'argument_missing'],
      [['login', '--server', 'http://sigill.example'], 'server_url_invalid'],
      [['login', '--server', 'https://sigill.example/api?x=1'], 'server_url_invalid'],
    ];
    for (const [args, code] of cases) {
      const run = await sigill(args, { configDir: device, stdin: 'text' });
      expect({ args, code: run.code, error: /\((\w+)\)/.exec(run.stderr)?.[1] }).toEqual({ args, code: 2, error: code });
    }
  });

  it('answers an unknown message with the server’s code, exit 1', async () => {
    const run = await sigill(['status', 'AAAAAAAAAAAAAAAAAAAAAA'], { configDir: device });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('(message_not_found)');
    const json = await sigill(['revoke', 'AAAAAAAAAAAAAAAAAAAAAA', '--json'], { configDir: device });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).error.code).toBe('message_not_found');
  });

  it('refuses a missing attachment or text file and a file that is not a key backup, exit 1, naming the file', async () => {
    const missing = await sigill(['send', '--to', '0701234567&login=*', '--errand', 'Hej', '--text', '-', '--attach', '/nonexistent/avtal.pdf'], { configDir: device, stdin: 'text' });
    expect({ code: missing.code, stderr: missing.stderr }).toEqual({ code: 1, stderr: expect.stringContaining('cannot read the attachment /nonexistent/avtal.pdf: ENOENT (attachment_unreadable)') });
    const noText = await sigill(['send', '--to', '0701234567&login=*', '--errand', 'Hej', '--text-file', '/nonexistent/msg.txt'], { configDir: device });
    expect(noText.code).toBe(1);
    expect(noText.stderr).toContain('(text_file_unreadable)');
    const notBackup = await sigill(['keys', 'import', 'package.json'], { configDir: device });
    expect(notBackup.code).toBe(1);
    expect(notBackup.stderr).toContain('(backup_invalid)');
  });

  it('prints help for every command, in English and in Swedish', async () => {
    const overview = await sigill(['--help'], { configDir: device });
    expect(overview.code).toBe(0);
    for (const command of ['login', 'send', 'status', 'revoke', 'keys export']) expect(overview.stdout).toContain(`  ${command}`);
    const sendHelp = await sigill(['send', '--help'], { configDir: device });
    expect(sendHelp.code).toBe(0);
    expect(sendHelp.stdout).toContain('--text -           the message text from standard input (never from an argument)');
    const swedish = await sigill(['status', '--help'], { configDir: device, env: { LANG: 'sv_SE.UTF-8' } });
    expect(swedish.stdout).toContain('Användning: sigill status [MEDDELANDE]');
    const swedishStatus = await sigill(['status'], { configDir: device, env: { LANG: 'sv_SE.UTF-8' } });
    expect(swedishStatus.stdout).toMatch(/^\s+MOTTAGARE\s+FÅR LÄSA\s+LEVERERAD\s+ÖPPNAD\s+LEGITIMERING PÅBÖRJAD\s+LÄST\s+NEKADE$/m);
    expect(swedishStatus.stdout).toContain('  SMS +46701234567');
    const nothing = await sigill([], { configDir: device });
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain('Usage: sigill <command>');
  });

  it('takes the server and token from SIGILL_SERVER and SIGILL_TOKEN over the stored sign-in', async () => {
    const fresh = newDevice();
    const run = await sigill(['status'], { configDir: fresh, env: { SIGILL_SERVER: server.origin, SIGILL_TOKEN: server.token } });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^[\w-]{22}  ready  created /); // the message sent above, its labels sealed to keys this device lacks
    expect(run.stdout).toContain('(unknown: sent with receipt keys this device lacks)');
    const notSignedIn = await sigill(['status'], { configDir: fresh });
    expect(notSignedIn.code).toBe(1);
    expect(notSignedIn.stderr).toContain('(not_signed_in)');
    const overridden = await sigill(['status'], { configDir: device, env: { SIGILL_TOKEN: 'sgl_revoked-or-wrong-token' } });
    expect(overridden.code).toBe(1);
    expect(overridden.stderr).toContain('sign in again');
  });

  it('logout forgets the token: the next command asks to sign in', async () => {
    const fresh = newDevice();
    expect((await sigill(['login', '--server', server.origin], { configDir: fresh, stdin: server.token })).code).toBe(0);
    const out = await sigill(['logout'], { configDir: fresh });
    expect(out.code).toBe(0);
    expect(readFileSync(join(fresh, 'settings.json'), 'utf8')).not.toContain(server.token);
    const after = await sigill(['status'], { configDir: fresh });
    expect(after.code).toBe(1);
    expect(after.stderr).toContain('(not_signed_in)');
  });

  it('fails with exit 1 and a clear message when the server has gone away', async () => {
    await server.close();
    const run = await sigill(['status'], { configDir: device });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('(server_unreachable)');
    expect(run.stderr).toContain(`the Sigill server at ${server.origin} could not be reached (ECONNREFUSED)`);
  });
});
