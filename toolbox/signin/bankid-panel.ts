import { ApiError } from '../../client/errors.js';
import { button, h, replace } from '../../ui/dom.js';
import { createQrCode } from '../../recipient/qr.js';
import { hintText, launchFor, thisDevice, unknownErrorText } from '../../recipient/bankid.js';
import type { AccountsApi } from './api.js';
import type { SignInTexts } from './texts.js';

/**
 * One BankID sign-in in `panel`: the animated QR, "Open BankID on this device", BankID's
 * message for each hint code, and Cancel. Polls once a second until the server answers
 * approved (the session cookie is set by that answer), unknown_user or failed.
 * Returns a function that stops it (and cancels the order).
 *
 * @example
 * const stop = bankIdPanel(panel, api, texts, { returnUrl, approved, unknownUser, ended });
 */
export interface BankIdPanelEvents {
  returnUrl: string;
  approved(): void;
  unknownUser(): void;
  /** Cancelled, or failed and the person chose to start over. */
  ended(): void;
}

export function bankIdPanel(panel: HTMLElement, api: AccountsApi, t: SignInTexts, events: BankIdPanelEvents): () => void {
  const device = thisDevice(navigator);
  const qr = createQrCode(t.qrLabel);
  const hint = h('p', { class: 'bankid-hint', role: 'status', 'aria-live': 'polite' });
  let signInId: string | undefined;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stop = () => {
    stopped = true;
    clearTimeout(timer);
    if (signInId) void api.cancelBankId(signInId).catch(() => undefined);
  };
  const cancel = button(t.cancel, () => {
    stop();
    events.ended();
  }, { 'data-action': 'cancel' });

  replace(panel, h('p', { class: 'bankid-hint' }, '…'));
  void (async () => {
    const started = await api.startBankId();
    signInId = started.signInId;
    const launch = launchFor(started.autoStartToken, device, events.returnUrl);
    const sameDevice = h('a', { class: 'button', href: launch.url, 'data-action': 'same-device' }, t.openOnThisDevice);
    replace(panel, qr.element, hint, sameDevice, cancel);
    sameDevice.focus();
    const poll = async () => {
      if (stopped) return;
      const state = await api.bankIdState(started.signInId);
      if (stopped) return;
      if (state.status === 'pending') {
        qr.draw(state.qr);
        hint.textContent = hintText(state, t.language, 'qr', device);
        timer = setTimeout(() => void poll().catch(failed), 1000);
      } else if (state.status === 'approved') {
        signInId = undefined;
        events.approved();
      } else if (state.status === 'unknown_user') {
        signInId = undefined;
        events.unknownUser();
      } else {
        signInId = undefined;
        replace(panel, h('p', { class: 'bankid-hint', role: 'alert' }, hintText(state, t.language, 'qr', device)), button(t.signInWithBankId, events.ended, { class: 'button primary' }));
      }
    };
    await poll();
  })().catch(failed);

  function failed(error: unknown) {
    if (stopped) return;
    signInId = undefined;
    const text =
      error instanceof ApiError && error.code === 'too_many_attempts' ? t.tooManyAttempts : error instanceof ApiError && error.status !== 0 && error.status < 500 ? error.message : unknownErrorText(t.language);
    replace(panel, h('p', { class: 'bankid-hint', role: 'alert' }, text), button(t.signInWithBankId, events.ended, { class: 'button primary' }));
  }
  return stop;
}
