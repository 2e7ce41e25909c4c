/**
 * Options: the server's address, signing in by pasting an API token (the worker checks
 * it against the server), the SMS gateway domain, and the receipt key's backup file.
 */
import browser from 'webextension-polyfill';
import { ask, type SettingsView } from '../messages.js';
import { text } from '../texts/index.js';
import { h } from '../../ui/dom.js';
import { errorText, localize } from '../ui/dom.js';

const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const serverUrl = byId<HTMLInputElement>('server-url');
const token = byId<HTMLInputElement>('token');
const smsDomain = byId<HTMLInputElement>('sms-domain');
const account = byId<HTMLElement>('account');
const problem = byId<HTMLElement>('problem');

function show(settings: SettingsView): void {
  serverUrl.value = settings.serverUrl;
  smsDomain.value = settings.smsDomain;
  const [before, after] = text('options.smsNote').split('{example}');
  byId('sms-note').replaceChildren(before ?? '', h('code', {}, `0701234567&login=198001011234@${settings.smsDomain}`), after ?? '');
  account.textContent = settings.signedInAs ? text('options.signedInAs', { name: settings.signedInAs }) : text('options.notSignedIn');
  byId('receipt-key').textContent = settings.receiptKey ?? text('options.keyLater');
}

/** The browser asks the sender to let the extension reach this server (needs the click). */
function allowServer(address: string): Promise<boolean> {
  let url: URL;
  try {
    url = new URL(address.trim());
  } catch {
    return Promise.resolve(true); // The worker explains what is wrong with the address.
  }
  // Match patterns name no port: http://127.0.0.1/* covers every port.
  return browser.permissions.request({ origins: [`${url.protocol}//${url.hostname}/*`] });
}

async function act(work: () => Promise<SettingsView | void>): Promise<void> {
  problem.textContent = '';
  try {
    const settings = await work();
    if (settings) show(settings);
  } catch (error) {
    problem.textContent = errorText(error);
  }
}

/** Says what is awaited while the browser's permission prompt is open. */
async function permitted(allowed: Promise<boolean>): Promise<void> {
  const waiting = setTimeout(() => {
    account.textContent = text('options.waiting');
  }, 500);
  try {
    if (!(await allowed)) throw new Error(text('options.refused'));
  } finally {
    clearTimeout(waiting);
  }
}

byId('sign-in').addEventListener('click', () => {
  const allowed = allowServer(serverUrl.value);
  void act(async () => {
    await permitted(allowed);
    const settings = await ask('account/signIn', { serverUrl: serverUrl.value, token: token.value });
    token.value = '';
    return settings;
  });
});
byId('sign-out').addEventListener('click', () => void act(() => ask('account/signOut', {})));
byId('save').addEventListener('click', () => {
  const allowed = allowServer(serverUrl.value);
  void act(async () => {
    await permitted(allowed);
    return ask('settings/save', { serverUrl: serverUrl.value, smsDomain: smsDomain.value });
  });
});
byId('export').addEventListener('click', () =>
  void act(async () => {
    const { backup } = await ask('receiptKey/export', {});
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([backup], { type: 'application/json' }));
    link.download = 'sigill-receipt-key.json';
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  }),
);
byId<HTMLInputElement>('import').addEventListener('change', (event) => {
  const file = (event.target as HTMLInputElement).files?.[0];
  if (file) void act(async () => ask('receiptKey/import', { backup: await file.text() }));
});

localize(document);
void act(() => ask('settings/get', {}));
