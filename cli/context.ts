/**
 * What every command gets: the UI language, the config folder and client/'s stores on
 * it, where relative file names start, and the sender's session (the stored sign-in,
 * overridden by SIGILL_SERVER and SIGILL_TOKEN).
 *
 * @example
 * const context = commandContext(values.config, process.env);
 * const { api } = await context.session();
 */
import { resolve } from 'node:path';
import { ApiError, checkServerUrl, senderApi, type SenderApi } from '../client/index.js';
import { configDirFrom, openConfigDir, type ConfigDir } from './config-dir.js';
import { CliError, UsageError } from './errors.js';
import { fileStores } from './file-stores.js';
import { uiLanguage, type Language } from './language.js';
import { nodeFetch } from './node-fetch.js';

/** The cause client/'s `server_unreachable` carries: which server, and the system's reason. */
export class ServerUnreachable extends Error {
  override readonly name = 'ServerUnreachable';
  constructor(
    readonly serverUrl: string,
    readonly reason: string,
  ) {
    super(`the Sigill server at ${serverUrl} could not be reached (${reason}); is it running, and is the address right?`);
  }
}

/** fetch (over node:http, node-fetch.ts), with the server's address on a failure to connect (never the request's path or headers). */
export function fetchFor(serverUrl: string) {
  return (input: string, init?: RequestInit) =>
    nodeFetch(input, init).catch((error: unknown) => {
      if (init?.signal?.aborted) throw error;
      const cause = (error as { cause?: { code?: unknown } }).cause;
      throw new ServerUnreachable(serverUrl, typeof cause?.code === 'string' ? cause.code : 'no answer');
    });
}

export interface Session {
  serverUrl: string;
  api: SenderApi;
}

export interface CommandContext {
  language: Language;
  dir: ConfigDir;
  stores: ReturnType<typeof fileStores>;
  /** A file name as the user typed it, from the folder they typed it in. */
  path(name: string): string;
  session(): Promise<Session>;
  env: NodeJS.ProcessEnv;
}

/** The server's address, checked by client/; a wrong one is a usage error. */
export function serverOrigin(text: string): string {
  try {
    return checkServerUrl(text);
  } catch (error) {
    if (error instanceof ApiError) throw new UsageError(error.code, error.message);
    throw error;
  }
}

export function commandContext(configOption: string | undefined, env: NodeJS.ProcessEnv): CommandContext {
  // `npm run sigill` runs in the project's folder; the user typed file names in INIT_CWD.
  const base = env.npm_lifecycle_event === 'sigill' && env.INIT_CWD ? env.INIT_CWD : process.cwd();
  const dir = openConfigDir(configDirFrom(env, configOption === undefined ? undefined : resolve(base, configOption)));
  const stores = fileStores(dir);
  return {
    language: uiLanguage(env),
    dir,
    stores,
    env,
    path: (name) => resolve(base, name),
    async session() {
      const stored = await stores.settings.load();
      const serverText = env.SIGILL_SERVER || stored.serverUrl;
      const token = env.SIGILL_TOKEN || stored.token;
      if (!serverText || !token) {
        throw new CliError('not_signed_in', 'sign in first: sigill login --server URL (or set SIGILL_SERVER and SIGILL_TOKEN)');
      }
      const serverUrl = serverOrigin(serverText);
      return { serverUrl, api: senderApi({ baseUrl: serverUrl, token, fetch: fetchFor(serverUrl) }) };
    },
  };
}
