/**
 * `sigill`: the command-line sender (README "The CLI"). Reads the command, prints help,
 * runs the command, and turns every error into one line with its code and an exit
 * code: 0 success, 1 failure, 2 usage.
 *
 * @example
 * npm run sigill -- status
 */
import { ApiError } from '../client/index.js';
import { AddressError } from '../shared/address.js';
import { FormatError } from '../shared/errors.js';
import { refuseTokenArguments } from './args.js';
import { ServerUnreachable } from './context.js';
import { CliError, exitCodes, UsageError } from './errors.js';
import { helpText, isCommandName, type CommandName } from './help.js';
import { keys } from './keys.js';
import { uiLanguage, type Language } from './language.js';
import { login, logout } from './login.js';
import { processOutput, type Output } from './output.js';
import { send } from './send.js';
import { resend } from './resend.js';
import { revoke, status } from './status.js';
import { texts } from './texts.js';

const commands: Record<CommandName, (argv: string[], output: Output) => Promise<number>> = { login, logout, send, status, resend, revoke, keys };

/** `--config DIR` may also come before the command. */
function splitGlobal(argv: string[]): { command: string | undefined; rest: string[] } {
  const global: string[] = [];
  let i = 0;
  while (argv[i]?.startsWith('--config')) {
    const takesNext = argv[i] === '--config';
    global.push(...argv.slice(i, i + (takesNext ? 2 : 1)));
    i += takesNext ? 2 : 1;
  }
  return { command: argv[i], rest: [...argv.slice(i + 1), ...global] };
}

function wantsHelp(argv: string[]): boolean {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).some((argument) => argument === '--help' || argument === '-h');
}

async function run(argv: string[], output: Output, language: Language): Promise<number> {
  refuseTokenArguments(argv);
  const { command, rest } = splitGlobal(argv);
  if (command === undefined) {
    output.note(helpText(undefined, language));
    return exitCodes.usage;
  }
  if (command === '--help' || command === '-h' || command === 'help') {
    const topic = rest[0];
    output.line(helpText(topic !== undefined && isCommandName(topic) ? topic : undefined, language));
    return exitCodes.success;
  }
  if (!isCommandName(command)) throw new UsageError('command_unknown', 'unknown command; the commands are login, logout, send, status, resend, revoke and keys');
  if (wantsHelp(rest)) {
    output.line(helpText(command, language));
    return exitCodes.success;
  }
  return commands[command](rest, output);
}

/** One line (or, for addresses, one line per wrong entry) for the error, and its exit code. */
function report(error: unknown, output: Output, language: Language, json: boolean, command: string | undefined): number {
  const t = texts[language];
  let code: string;
  let message: string;
  let exitCode: number = exitCodes.failure;
  if (error instanceof AddressError) {
    code = error.code;
    message = error.problems.map((problem) => `recipient ${problem.entry} (${problem.address || '–'}): ${problem.reason} [${problem.code}]`).join('\n  ');
    exitCode = exitCodes.usage;
  } else if (error instanceof CliError) {
    ({ code, message } = error);
    exitCode = error.exitCode;
  } else if (error instanceof ApiError) {
    ({ code, message } = error);
    if (error.cause instanceof ServerUnreachable) message = error.cause.message;
    if (error.status === 401) message += t.signInAgain;
  } else if (error instanceof FormatError) {
    ({ code, message } = error);
    exitCode = exitCodes.usage; // shared/ refuses what the sender typed: an errand, a reader, a number
  } else {
    code = 'internal_error';
    message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  }
  if (json) output.json({ error: { code, message, ...(error instanceof AddressError ? { problems: error.problems } : {}) } });
  output.note(`sigill: ${t.error}: ${message} (${code})`);
  if (exitCode === exitCodes.usage && command !== undefined && isCommandName(command)) output.note(t.seeHelp(`${command} `));
  return exitCode;
}

const argv = process.argv.slice(2);
const language = uiLanguage(process.env);
try {
  process.exitCode = await run(argv, processOutput, language);
} catch (error) {
  process.exitCode = report(error, processOutput, language, argv.includes('--json'), splitGlobal(argv).command);
}
