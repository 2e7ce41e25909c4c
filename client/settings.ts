import { clientError } from './errors.js';
import type { Language } from './texts.js';

/**
 * What a sending app keeps about its sender (behind a SettingsStore<SenderSettings>):
 * the server, the API token and whose it is, the language of what recipients get. And
 * the one check of a server address typed by a person.
 *
 * @example
 * const serverUrl = checkServerUrl(' https://sigill.example/ '); // 'https://sigill.example'
 */
export interface SenderSettings {
  /** The API's origin, from checkServerUrl. */
  serverUrl: string;
  token: string | null;
  senderName: string | null;
  /** The language of the SMS texts and email bodies recipients get. */
  recipientLanguage: Language;
}

const localHosts = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The server's origin from what a person typed: http(s), no path, no credentials; plain http only on this machine. */
export function checkServerUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw clientError('server_url_invalid', 'the server address is not a URL, such as https://sigill.example');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && localHosts.has(url.hostname))) {
    throw clientError('server_url_invalid', 'the server must use https (plain http only on localhost)');
  }
  if (url.username || url.password || url.search || url.hash || (url.pathname !== '/' && url.pathname !== '')) {
    throw clientError('server_url_invalid', 'give only the server’s address, such as https://sigill.example');
  }
  return url.origin;
}
