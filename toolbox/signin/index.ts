import { ApiError } from '../../client/errors.js';
import type { Me } from '../../shared/api/accounts.js';
import { button, focusHeading, h, replace } from '../../ui/dom.js';
import { receiptKeys, type PrfOutput, type ToolboxKeys } from '../keys/index.js';
import { accountsApi, type AccountsApi } from './api.js';
import { bankIdPanel } from './bankid-panel.js';
import { registerPasskey, signInWithPasskey } from './passkey.js';
import type { SignInTexts } from './texts.js';

export { accountsApi, type AccountsApi } from './api.js';
export { signInTexts, type SignInTexts } from './texts.js';
export { registerPasskey, signInWithPasskey } from './passkey.js';

/**
 * The toolbox's sign-in: "Sign in with BankID" (QR, and "Open BankID on this device")
 * and "Sign in with a passkey". After a BankID sign-in it offers to save a passkey
 * (with PRF, so the receipt key follows the sender). Then it hands the app the
 * signed-in user and the receipt keys (toolbox/keys/).
 *
 * Reuses the recipient page's QR drawing and BankID texts (recipient/qr.ts, bankid.ts),
 * which hold no recipient state.
 *
 * @example
 * const view = mountSignIn(document.querySelector('main')!, signInTexts.sv, ({ me, keys }) => start(me, keys));
 * view.unmount();
 */
export interface SignedIn {
  me: Me;
  keys: ToolboxKeys;
  api: AccountsApi;
}

export interface SignInView {
  unmount(): void;
}

export interface SignInOptions {
  api?: AccountsApi;
  /** The address BankID returns to on this device; default this page without its fragment. */
  returnUrl?: string;
}

export function mountSignIn(root: HTMLElement, t: SignInTexts, onSignedIn: (signedIn: SignedIn) => void, options: SignInOptions = {}): SignInView {
  const api = options.api ?? accountsApi();
  let stopBankId: (() => void) | undefined;
  const status = h('p', { class: 'signin-status', role: 'status', 'aria-live': 'polite' });

  const finish = async (prf: PrfOutput | undefined, offer: boolean) => {
    const me = await api.me();
    const keys = await receiptKeys(me, api, prf);
    if (offer && !me.passkeys.some((passkey) => passkey.prf)) return offerPasskey(me, keys);
    onSignedIn({ me, keys, api });
  };
  const failed = (error: unknown, text = t.failed) => {
    status.textContent = error instanceof ApiError && error.code === 'unknown_user' ? t.unknownUser : text;
  };

  function start() {
    const heading = h('h1', {}, t.heading);
    const bankId = button(t.signInWithBankId, () => {
      status.textContent = '';
      stopBankId = bankIdPanel(panel, api, t, {
        returnUrl: options.returnUrl ?? location.href.split('#')[0]!,
        approved: () => void finish(undefined, true).catch((error: unknown) => failed(error)),
        unknownUser: () => {
          status.textContent = t.unknownUser;
          start();
        },
        ended: () => start(),
      });
    }, { class: 'button primary', 'data-action': 'bankid' });
    const passkey = button(t.signInWithPasskey, () => {
      status.textContent = '';
      signInWithPasskey(api).then((prf) => finish(prf, false), (error: unknown) => failed(error, t.passkeyFailed));
    }, { 'data-action': 'passkey' });
    const panel = h('div', { class: 'signin-panel' }, bankId, passkey);
    replace(root, h('section', { class: 'signin', 'aria-labelledby': 'signin-heading' }, heading, panel, status));
    heading.id = 'signin-heading';
  }

  function offerPasskey(me: Me, keys: ToolboxKeys) {
    const heading = h('h1', { id: 'signin-heading' }, t.offerPasskey);
    const name = h('input', { id: 'passkey-name', name: 'passkey-name', autocomplete: 'off', value: defaultPasskeyName() });
    const done = () => onSignedIn({ me, keys, api });
    const save = button(t.registerPasskey, () => {
      save.disabled = true;
      void (async () => {
        const registered = await registerPasskey(api, name.value.trim() || defaultPasskeyName());
        // Some authenticators give the PRF output only at sign-in: sign in once with the new passkey to get it.
        const prf = registered.prf ?? (registered.prfEnabled ? await signInWithPasskey(api, registered.credentialId) : undefined);
        if (prf) await keys.wrapFor(prf);
        status.textContent = prf ? t.passkeyRegistered : t.passkeyWithoutPrf;
        done();
      })().catch((error: unknown) => {
        save.disabled = false;
        failed(error, t.passkeyFailed);
      });
    }, { class: 'button primary', 'data-action': 'register-passkey' });
    replace(
      root,
      h(
        'section',
        { class: 'signin', 'aria-labelledby': 'signin-heading' },
        heading,
        h('p', {}, t.offerPasskeyWhy),
        h('label', { for: 'passkey-name' }, t.passkeyName),
        name,
        h('div', { class: 'signin-panel' }, save, button(t.notNow, done, { 'data-action': 'not-now' })),
        status,
      ),
    );
    focusHeading(heading);
  }

  start();
  return {
    unmount() {
      stopBankId?.();
      root.replaceChildren();
    },
  };
}

function defaultPasskeyName(): string {
  const platform = (navigator as Navigator & { userAgentData?: { platform?: string } }).userAgentData?.platform;
  return (platform || navigator.platform || 'Passkey').slice(0, 100);
}

/** Signs out (the server forgets the session and clears the cookie). */
export const signOut = (api: AccountsApi = accountsApi()) => api.signOut();
