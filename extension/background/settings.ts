/**
 * The sender's settings, kept in the extension's IndexedDB (never `storage.local`, which
 * content scripts can read): the server, the API token and whose it is, and the domain
 * of the SMS gateway addresses (`0701234567&login=…@<smsDomain>`).
 *
 * @example
 * const { serverUrl, token } = await signedIn(); // ExtensionError not_signed_in otherwise
 */
import { senderApi, type Language, type SenderApi } from '../../client/index.js';
import { ExtensionError } from '../messages.js';
import { settingsStore } from '../storage/stores.js';
import { defaultServerUrl, defaultSmsDomain } from '../build-settings.js';

export interface Settings {
  serverUrl: string;
  smsDomain: string;
  token: string | null;
  senderName: string | null;
  /** The language of what recipients get, as the sender picked it last. */
  recipientLanguage: Language | null;
}

const store = settingsStore<Settings>('settings');

export async function loadSettings(): Promise<Settings> {
  const stored = await store.load();
  return {
    serverUrl: stored.serverUrl ?? defaultServerUrl,
    smsDomain: stored.smsDomain ?? defaultSmsDomain,
    token: stored.token ?? null,
    senderName: stored.senderName ?? null,
    recipientLanguage: stored.recipientLanguage ?? null,
  };
}

export async function saveSettings(change: Partial<Settings>): Promise<Settings> {
  const settings = { ...(await loadSettings()), ...change };
  await store.save(settings);
  return settings;
}

/** The signed-in sender's settings and its API (client/), or not_signed_in. */
export async function signedIn(): Promise<Settings & { token: string; api: SenderApi }> {
  const settings = await loadSettings();
  if (!settings.token) throw new ExtensionError('not_signed_in', 'sign in first: open the extension’s options and paste your API token');
  return { ...settings, token: settings.token, api: senderApi({ baseUrl: settings.serverUrl, token: settings.token }) };
}

/** The server's origin from what the sender typed: http(s), no path, no credentials. */
export function checkServerUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new ExtensionError('server_url_invalid', 'the server address is not a URL, such as https://sigill.example');
  }
  const local = url.hostname === 'localhost' || url.hostname === '127.0.0.1';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) {
    throw new ExtensionError('server_url_invalid', 'the server must use https (plain http only on localhost)');
  }
  if (url.username || url.password || url.search || url.hash || (url.pathname !== '/' && url.pathname !== '')) {
    throw new ExtensionError('server_url_invalid', 'give only the server’s address, such as https://sigill.example');
  }
  return url.origin;
}

export function checkSmsDomain(text: string): string {
  const domain = text.trim().toLowerCase();
  if (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/.test(domain)) {
    throw new ExtensionError('sms_domain_invalid', 'the SMS domain is a domain name, such as sms.sigill.se');
  }
  return domain;
}
