/**
 * The toolbox at /toolbox/: the sender's web app. Signs in (BankID, then passkeys), then
 * shows the shell (navigation, language switch, Sign out) around one view at a time:
 * compose, the sent log, a message's detail. Messages are sealed in this browser by
 * client/; the server sees only ciphertext.
 */
import { isSignedOut } from './api.js';
import { composeView, type Draft } from './compose/compose-view.js';
import { progressPanel, resultsView, sendDraft, sendProblem } from './compose/sending.js';
import { focusHeading, h, replace } from '../ui/dom.js';
import { parseRoute } from './router.js';
import { detailView } from './sent/detail.js';
import { sentLogView, type LiveView } from './sent/sent-log.js';
import { startSession, type Session } from './session.js';
import { receiptKeys } from './keys/index.js';
import { accountsApi, mountSignIn, signInTexts, type SignedIn } from './signin/index.js';
import { shell } from './shell.js';
import { keysView } from './keys-view.js';
import { adminView } from './admin/admin-view.js';
import { chooseLanguage, languageKey, texts, type Language, type Texts } from './texts.js';

let language: Language = chooseLanguage(navigator.languages.length > 0 ? navigator.languages : [navigator.language], localStorage);
let t: Texts = texts(language);
const main = document.getElementById('main')!;
const bar = document.getElementById('bar')!;
let session: Session | undefined;
let live: LiveView | undefined;
let signIn: { unmount(): void } | undefined;

function applyLanguage() {
  t = texts(language);
  document.documentElement.lang = language;
  document.title = `Sigill – ${t.compose}`;
  document.getElementById('skip')!.textContent = t.skip;
}

function switchLanguage() {
  language = language === 'sv' ? 'en' : 'sv';
  localStorage.setItem(languageKey, language);
  applyLanguage();
  render();
}

/** A 401 anywhere: the session ended, so the sign-in comes back. */
function signedOut(error: unknown): boolean {
  if (!isSignedOut(error)) return false;
  session = undefined;
  render();
  return true;
}

function send(draft: Draft, compose: ReturnType<typeof composeView>) {
  const panel = progressPanel(t);
  compose.lock(true);
  main.querySelector('.compose-view')!.append(panel.element);
  panel.element.scrollIntoView({ block: 'nearest' });
  sendDraft(session!, draft, (phase, progress) => {
    panel.show(phase, progress);
    if (progress && progress.index > 0) compose.attachments.progress(progress.index - 1, progress.total === 0 ? 1 : progress.sent / progress.total);
  }).then(
    (sent) => {
      replace(main, resultsView(t, sent, { another: () => (location.hash === '#/compose' ? render() : (location.hash = '#/compose')), follow: () => (location.hash = `#/sent/${sent.messageId}`) }));
    },
    (error) => {
      if (signedOut(error)) return;
      compose.lock(false);
      panel.element.remove();
      const problems = main.querySelector('#send-problems')!;
      replace(problems, h('p', {}, sendProblem(error, t)));
      (main.querySelector('#send') as HTMLElement).focus();
    },
  );
}

function render() {
  live?.stop();
  live = undefined;
  signIn?.unmount();
  signIn = undefined;
  document.getElementById('locked-notice')?.remove();
  applyLanguage();
  if (!session) {
    replace(bar, shell(t, null, { switchLanguage, signOut }));
    const root = h('div', { class: 'view signin-view', 'data-view': 'signin' });
    replace(main, root);
    signIn = mountSignIn(root, signInTexts[language], (signedIn) => void begin(signedIn));
    return;
  }
  replace(bar, shell(t, session, { switchLanguage, signOut }));
  const route = parseRoute(location.hash);
  for (const link of bar.querySelectorAll('a[data-route]')) {
    const current = link.getAttribute('data-route') === route.view || (route.view === 'detail' && link.getAttribute('data-route') === 'sent');
    if (current) link.setAttribute('aria-current', 'page');
  }
  if (session.toolboxKeys.state === 'locked' && route.view !== 'keys') {
    bar.after(h('p', { class: 'locked-notice', id: 'locked-notice', role: 'status' }, t.keyLockedShort, ' ', h('a', { href: '#/keys' }, t.openKeys)));
  }
  switch (route.view) {
    case 'compose': {
      const compose = composeView(t, { maxMessageBytes: session.maxMessageBytes, onSend: (draft) => send(draft, compose) });
      return replace(main, compose.element);
    }
    case 'sent':
      live = sentLogView(t, session, signedOut);
      return replace(main, live.element);
    case 'keys':
      return replace(main, keysView(t, session, () => document.getElementById('locked-notice')?.remove()));
    case 'detail':
      live = detailView(t, session, route.messageId, signedOut);
      return replace(main, live.element);
    case 'admin':
      if (session.me.user.role === 'admin') return replace(main, adminView(t, session));
    // falls through: a member has no admin page
    default: {
      const heading = h('h1', {}, t.notFound);
      replace(main, h('section', { class: 'view' }, heading, h('p', {}, h('a', { href: '#/compose' }, t.compose))));
      return focusHeading(heading);
    }
  }
}

async function signOut() {
  await session?.accounts.signOut().catch(() => undefined);
  session = undefined;
  render();
}

async function begin(signedIn: SignedIn) {
  try {
    session = await startSession(signedIn);
  } catch (error) {
    if (!isSignedOut(error)) return replace(main, h('p', { class: 'problem', role: 'alert' }, t.unreachable));
  }
  render();
}

/** A session that is still there (a reload): its user, and the receipt keys this browser can open. */
async function boot() {
  applyLanguage();
  const accounts = accountsApi();
  try {
    const me = await accounts.me();
    return begin({ me, keys: await receiptKeys(me, accounts), api: accounts });
  } catch (error) {
    if (!isSignedOut(error)) return replace(main, h('p', { class: 'problem', role: 'alert' }, t.unreachable));
  }
  render();
}

window.addEventListener('hashchange', () => render());
void boot();
