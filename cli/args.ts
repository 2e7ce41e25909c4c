/**
 * The command line, read strictly: every command declares its options and how many
 * positional arguments it takes, and anything else is a usage error (exit code 2).
 * Values are never echoed back in a message: an argument may be a token pasted by
 * mistake, a phone number or a personal identity number.
 *
 * @example
 * const { values, positionals } = parseCommandLine(argv, { options: { to: { type: 'string' } }, positionals: ['MESSAGE'], required: 0 });
 */
import { parseArgs } from 'node:util';
import { UsageError } from './errors.js';
import type { Language } from './language.js';

export interface OptionSpec {
  type: 'string' | 'boolean';
  /** Given more than once, every value is kept. */
  multiple?: boolean;
  short?: string;
}

export interface CommandSpec {
  options: Record<string, OptionSpec>;
  /** Names of the positional arguments, for messages. */
  positionals: string[];
  /** How many of them must be given. */
  required: number;
}

export interface CommandLine {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/** What an API token looks like (`npm run admin` makes them): refused wherever it appears. */
const tokenPattern = /sgl_[A-Za-z0-9_-]{8,}/;

export function refuseTokenArguments(argv: string[]): void {
  if (argv.some((argument) => tokenPattern.test(argument) || /^--token(=|$)/.test(argument))) {
    throw new UsageError(
      'token_in_argument',
      'an API token is never taken from an argument (every user of this machine can see arguments); run sigill login and type it when asked, or pipe it in: sigill login --server URL < token-file',
    );
  }
}

const common: Record<string, OptionSpec> = { help: { type: 'boolean', short: 'h' }, config: { type: 'string' } };

export function parseCommandLine(argv: string[], spec: CommandSpec): CommandLine {
  const options = { ...common, ...spec.options };
  for (const argument of argv) {
    if (argument === '--') break;
    if (argument.startsWith('--')) {
      const name = argument.slice(2).split('=', 1)[0]!;
      if (!(name in options)) throw new UsageError('option_unknown', `unknown option --${name}`);
    } else if (argument.startsWith('-') && argument !== '-') {
      const short = argument.slice(1, 2);
      if (!Object.values(options).some((option) => option.short === short)) throw new UsageError('option_unknown', `unknown option -${short}`);
    }
  }
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true, tokens: true });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') throw new UsageError('option_value_missing', (error as Error).message);
    throw new UsageError('arguments_invalid', 'the arguments could not be read; see --help');
  }
  const seen = new Set<string>();
  for (const token of parsed.tokens) {
    if (token.kind !== 'option') continue;
    if (seen.has(token.name) && !options[token.name]?.multiple) throw new UsageError('option_repeated', `--${token.name} is given more than once`);
    seen.add(token.name);
  }
  const { positionals } = parsed;
  if (!parsed.values.help) {
    if (positionals.length < spec.required) {
      throw new UsageError('argument_missing', `missing ${spec.positionals.slice(positionals.length, spec.required).join(' ')}`);
    }
    if (positionals.length > spec.positionals.length) {
      throw new UsageError('argument_unexpected', `too many arguments: this command takes ${spec.positionals.length === 0 ? 'none' : spec.positionals.join(' ')}`);
    }
  }
  return { values: parsed.values as CommandLine['values'], positionals };
}

const units: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/**
 * `--expires`: a whole number and a unit, minutes to weeks.
 *
 * @example
 * parseDuration('7d') // 604800000
 */
export function parseDuration(text: string): number {
  const match = /^(\d{1,6})\s*([mhdw])$/i.exec(text.trim());
  if (!match || Number(match[1]) === 0) {
    throw new UsageError('expires_invalid', '--expires is a number and a unit: 30m, 12h, 7d or 2w');
  }
  return Number(match[1]) * units[match[2]!.toLowerCase()]!;
}

export function parseReadLimit(text: string): number {
  if (!/^\d{1,6}$/.test(text.trim()) || Number(text) < 1) {
    throw new UsageError('read_limit_invalid', '--read-limit is how many times each link may be read: a whole number, 1 or more');
  }
  return Number(text);
}

/** `--lang`: the language of what recipients get. */
export function readLanguage(value: string | undefined, fallback: Language): Language {
  if (value === undefined) return fallback;
  if (value !== 'sv' && value !== 'en') throw new UsageError('lang_invalid', '--lang is sv or en');
  return value;
}
