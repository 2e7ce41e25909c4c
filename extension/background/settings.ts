/**
 * The sender's settings, kept in the extension's IndexedDB (never `storage.local`, which
 * content scripts can read): the server, the API token and whose it is, and the domain
 * of the SMS gateway addresses (`0701234567&login=…@<smsDomain>`), the language of what
 * recipients get. A typed server address is checked by client/'s checkServerUrl.
 *
 * @example
 * const { serverUrl, token } = await signedIn(); // ExtensionError not_signed_in otherwise
 */
import { senderApi, type SenderApi, type SenderSettings } from '../../client/index.js';
import { ExtensionError } from '../messages.js';
import { uiLanguage } from '../texts/index.js';
import { settingsStore } from '../storage/stores.js';
import { defaultServerUrl, defaultSmsDomain } from '../build-settings.js';

/** client/'s SenderSettings (recipientLanguage: as the sender picked it last, else the browser's), and the SMS domain. */
export interface Settings extends SenderSettings {
  smsDomain: string;
}

const store = settingsStore<Settings>('settings');

export async function loadSettings(): Promise<Settings> {
  const stored = await store.load();
  return {
    serverUrl: stored.serverUrl ?? defaultServerUrl,
    smsDomain: stored.smsDomain ?? defaultSmsDomain,
    token: stored.token ?? null,
    senderName: stored.senderName ?? null,
    recipientLanguage: stored.recipientLanguage ?? uiLanguage(),
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

export function checkSmsDomain(text: string): string {
  const domain = text.trim().toLowerCase();
  if (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/.test(domain)) {
    throw new ExtensionError('sms_domain_invalid', 'the SMS domain is a domain name, such as sms.sigill.se');
  }
  return domain;
}
