import type { LaunchDevice } from '../shared/bankid/launch-url.js';
import { api, ApiError, isNetworkProblem } from './api.js';
import { alreadyInProgressText, hintText, isMobile, launchFor, startAppLabel, unknownErrorText, type Flow } from './bankid.js';
import { button, focusHeading, h, replace } from '../ui/dom.js';
import type { Language, ProblemKind, Text } from './i18n.js';
import { createIdentityField } from './identity-field.js';
import { rememberVerification, type StoredVerification } from './link-secret.js';
import { createQrCode } from './qr.js';

/**
 * Identification with BankID (PROTOCOL.md §8.2–8.3): the optional personal number, a
 * button that opens BankID on this device, and the animated QR code for another device,
 * redrawn every second from the server's `qr` string; BankID's message for every hint
 * code; cancel; try again after a failure. The verification id is kept in sessionStorage
 * so polling goes on when the page is reopened by the BankID app.
 *
 * @example
 * const identification = createIdentification({ window, text, language, device, linkId, authKey, onApproved, onDenied, onLinkProblem });
 * main.append(identification.element);
 */
export interface IdentificationContext {
  window: Window;
  text: Text;
  language: Language;
  device: LaunchDevice;
  linkId: string;
  /** K_auth, base64url: sent only in the verification start body. */
  authKey: string;
  onApproved(releaseToken: string, name: string): void;
  onDenied(): void;
  onLinkProblem(problem: ProblemKind): void;
}

const pollIntervalMs = 1000;
const linkProblems: Record<string, ProblemKind> = {
  link_not_found: 'linkNotFound',
  link_expired: 'linkExpired',
  link_revoked: 'linkRevoked',
  link_exhausted: 'linkExhausted',
  link_key_invalid: 'secretDamaged',
};

export function createIdentification(context: IdentificationContext) {
  const { window, text, language, device, linkId } = context;
  const heading = h('h2', { id: 'identify-heading' }, text.identifyHeading);
  const body = h('div', { class: 'identify-body' });
  const element = h('section', { class: 'card identify', 'aria-labelledby': 'identify-heading' }, heading, body);
  const field = createIdentityField(text);
  /** Each started verification gets a new run; a stale poll sees it is no longer current. */
  let run = 0;
  let timer: number | undefined;
  let wake: (() => void) | undefined;

  window.document.addEventListener('visibilitychange', () => {
    if (window.document.visibilityState === 'visible') wake?.();
  });

  function choose(notice?: string) {
    stop();
    heading.textContent = text.identifyHeading;
    const sameDevice = button(text.sameDevice, () => void begin('autostart'), { class: 'button primary' });
    const otherDevice = button(text.otherDevice, () => void begin('qr'), { class: isMobile(device) ? 'button secondary' : 'button primary' });
    if (!isMobile(device)) sameDevice.className = 'button secondary';
    replace(
      body,
      notice ? h('p', { class: 'notice', role: 'alert' }, notice) : null,
      h('p', {}, text.identifyIntro),
      field.element,
      h('div', { class: 'actions' }, ...(isMobile(device) ? [sameDevice, otherDevice] : [otherDevice, sameDevice])),
    );
  }

  async function begin(flow: Flow) {
    const personalNumber = field.value();
    if (!personalNumber.ok) return field.focus();
    stop();
    const thisRun = ++run;
    replace(body, h('p', { class: 'status', role: 'status' }, text.starting));
    try {
      const started = await api.startVerification(linkId, { authKey: context.authKey, language, ...(personalNumber.digits ? { personalNumber: personalNumber.digits } : {}) });
      if (thisRun !== run) return;
      rememberVerification(window, linkId, { verificationId: started.verificationId, flow });
      if (flow === 'qr') pending({ verificationId: started.verificationId, flow }, thisRun);
      else launch({ verificationId: started.verificationId, flow }, started.autoStartToken, thisRun);
    } catch (error) {
      if (thisRun !== run) return;
      if (isNetworkProblem(error)) return failed(`${text.problems.network.title}. ${text.problems.network.next}`, flow);
      if (error instanceof ApiError && linkProblems[error.code]) return context.onLinkProblem(linkProblems[error.code]!);
      if (error instanceof ApiError && error.code === 'bankid_in_progress') return failed(alreadyInProgressText(language), flow);
      if (error instanceof ApiError && error.status === 429) return choose(text.tooMany);
      failed(unknownErrorText(language), flow);
    }
  }

  /** Same device: open the BankID app; the link stays for browsers that need a tap. */
  function launch(verification: StoredVerification, autoStartToken: string, thisRun: number) {
    const pageUrl = window.location.origin + window.location.pathname;
    const { url } = launchFor(autoStartToken, device, pageUrl);
    pending(verification, thisRun, url);
    window.location.href = url;
  }

  function pending(verification: StoredVerification, thisRun: number, launchUrl?: string) {
    heading.textContent = verification.flow === 'qr' ? text.qrHeading : text.launchHeading;
    const status = h('p', { class: 'status', role: 'status' });
    const qr = verification.flow === 'qr' ? createQrCode(text.qrLabel) : undefined;
    const cancel = button(text.cancel, () => void cancelRun(verification), { class: 'button secondary' });
    replace(
      body,
      verification.flow === 'qr' ? h('p', {}, text.qrSteps) : null,
      qr ? h('div', { class: 'qr-frame' }, qr.element) : null,
      status,
      launchUrl ? h('p', { class: 'hint launch-hint' }, text.launchHint) : null,
      launchUrl ? h('a', { class: 'button primary', href: launchUrl, id: 'bankid-launch' }, startAppLabel(language)) : null,
      h('div', { class: 'actions' }, cancel),
    );
    focusHeading(heading);
    let failures = 0;
    const tick = async () => {
      timer = undefined;
      wake = undefined;
      if (thisRun !== run) return;
      try {
        const state = await api.verification(verification.verificationId);
        if (thisRun !== run) return;
        failures = 0;
        if (state.status === 'pending') {
          status.textContent = hintText(state, language, verification.flow, device);
          qr?.draw(state.qr);
        } else {
          rememberVerification(window, linkId, undefined);
          run++;
          if (state.status === 'failed') return failed(hintText(state, language, verification.flow, device), verification.flow);
          if (state.status === 'denied') return context.onDenied();
          return approved(state.releaseToken, state.name);
        }
      } catch (error) {
        if (thisRun !== run) return;
        if (error instanceof ApiError && !isNetworkProblem(error)) {
          rememberVerification(window, linkId, undefined);
          run++;
          if (linkProblems[error.code]) return context.onLinkProblem(linkProblems[error.code]!);
          return choose(text.verificationExpired);
        }
        failures++;
        status.textContent = text.stillTrying;
      }
      timer = window.setTimeout(() => void tick(), pollIntervalMs * Math.min(1 + failures, 5));
      wake = () => {
        window.clearTimeout(timer);
        void tick();
      };
    };
    void tick();
  }

  async function cancelRun(verification: StoredVerification) {
    stop();
    rememberVerification(window, linkId, undefined);
    choose();
    focusHeading(heading);
    await api.cancelVerification(verification.verificationId).catch(() => undefined);
  }

  function failed(message: string, flow: Flow) {
    stop();
    heading.textContent = text.identifyHeading;
    replace(
      body,
      h('p', { class: 'notice', role: 'alert' }, message),
      h(
        'div',
        { class: 'actions' },
        button(text.tryAgain, () => void begin(flow), { class: 'button primary' }),
        button(text.cancel, () => choose(), { class: 'button secondary' }),
      ),
    );
    focusHeading(heading);
  }

  function approved(releaseToken: string, name: string) {
    stop();
    element.remove();
    context.onApproved(releaseToken, name);
  }

  function stop() {
    run++;
    if (timer !== undefined) window.clearTimeout(timer);
    timer = undefined;
    wake = undefined;
  }

  return {
    element,
    /** Shows the choice, or goes on polling a verification this tab started. */
    start(resume?: StoredVerification) {
      if (resume) pending(resume, ++run);
      else choose();
    },
  };
}
