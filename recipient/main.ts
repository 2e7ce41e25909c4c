import { encodeBase64url } from '../shared/base64url.js';
import { FormatError } from '../shared/errors.js';
import { openContent, openLink, releaseOf, type OpenedLink, type Release } from '../client/read.js';
import { api, ApiError, isNetworkProblem } from './api.js';
import { thisDevice } from './bankid.js';
import { focusHeading, h, replace } from '../ui/dom.js';
import { chooseLanguage, formatDate, type ProblemKind } from './i18n.js';
import { createIdentification } from './identification.js';
import { forgetLink, storedVerification, takeLink, type TakenLink } from './link-secret.js';
import { messageView } from './message-view.js';
import { problemView } from './problem-view.js';

/**
 * The recipient page at /o/<linkId>#<secret>: takes the secret out of the address bar,
 * shows the errand and the sender before BankID, identifies the reader, then opens the
 * message. Each step that can fail ends in a state with a plain sentence and what to
 * do next.
 */
const taken: TakenLink = takeLink(window); // first of all: the fragment leaves the address bar
const { language, text } = chooseLanguage(navigator.languages.length > 0 ? navigator.languages : [navigator.language]);
const device = thisDevice(navigator);
const main = document.getElementById('main')!;

const linkProblems: Record<string, ProblemKind> = {
  link_not_found: 'linkNotFound',
  link_id_invalid: 'linkNotFound',
  link_expired: 'linkExpired',
  link_revoked: 'linkRevoked',
  link_exhausted: 'linkExhausted',
};

document.documentElement.lang = language;
document.title = text.pageTitle;
const skip = document.querySelector<HTMLAnchorElement>('.skip')!;
skip.textContent = text.skip;
// Not by its #main href: a fragment in the address bar would be taken for the link's secret on a reload.
skip.addEventListener('click', (event) => {
  event.preventDefault();
  main.focus();
});
document.getElementById('brand-tagline')!.textContent = text.pageTitle;
document.getElementById('footer')!.replaceChildren(h('p', {}, text.footer));
document.getElementById('loading')!.textContent = text.loading;

/** The link can no longer open anything: this tab forgets it. */
const deadEnds: ProblemKind[] = ['linkNotFound', 'linkExpired', 'linkRevoked', 'linkExhausted', 'secretDamaged'];

function showProblem(kind: ProblemKind, action?: { label: string; run(): void }, senderName?: string) {
  if (deadEnds.includes(kind)) forgetLink(window, taken.linkId);
  replace(main, problemView(kind, text, action, senderName));
  focusHeading(main.querySelector('h1')!);
}

if (taken.kind === 'problem') {
  showProblem(taken.problem);
} else {
  void open(taken);
}

async function open(link: Extract<TakenLink, { kind: 'link' }>): Promise<void> {
  let opened: OpenedLink;
  try {
    opened = await openLink(api, link.linkId, link.link.secret);
  } catch (error) {
    if (error instanceof FormatError) {
      forgetLink(window, link.linkId);
      return showProblem('secretDamaged');
    }
    if (error instanceof ApiError && !isNetworkProblem(error)) return showProblem(linkProblems[error.code] ?? (error.status === 404 ? 'linkNotFound' : 'network'));
    if (error instanceof ApiError || error instanceof TypeError) return showProblem('network', { label: text.tryAgain, run: () => void open(link) });
    throw error;
  }
  showErrand(link, opened);
}

function showErrand(link: Extract<TakenLink, { kind: 'link' }>, opened: OpenedLink) {
  const { info, keys, errand } = opened;
  const identification = createIdentification({
    window,
    text,
    language,
    device,
    linkId: link.linkId,
    authKey: encodeBase64url(keys.auth),
    onApproved: (releaseToken, name) => void read(releaseOf(opened, releaseToken), name),
    onDenied: () => showProblem('denied', { label: text.identifyWithAnother, run: () => showErrand(link, opened) }, info.sender.name),
    onLinkProblem: (kind) => showProblem(kind),
  });
  replace(
    main,
    h(
      'section',
      { class: 'card errand-card', 'aria-labelledby': 'sender-name' },
      h('p', { class: 'eyebrow' }, text.secureMessageFrom),
      h('h1', { id: 'sender-name', class: 'sender' }, info.sender.name),
      h('p', { class: 'errand-label' }, text.errand),
      h('p', { class: 'errand', id: 'errand' }, errand),
      h('p', { class: 'expires' }, text.readableUntil(formatDate(info.expiresAt, language))),
    ),
    identification.element,
  );
  identification.start(storedVerification(window, link.linkId));
}

async function read(release: Release, name: string): Promise<void> {
  const progress = h('progress', { max: '1', value: '0', 'aria-label': text.decrypting });
  const reading = h(
    'section',
    { class: 'card reading', 'aria-live': 'polite' },
    h('p', { class: 'approved' }, text.approvedAs(name)),
    h('p', { class: 'status' }, text.decrypting),
    progress,
  );
  main.querySelector('.message, .reading')?.remove();
  main.append(reading);
  try {
    const content = await openContent(api, release, (done, total) => {
      progress.value = total > 0 ? done / total : 0;
    });
    forgetLink(window, release.linkId); // read: nothing of the link stays in this tab's storage
    reading.replaceChildren(h('p', { class: 'approved' }, text.approvedAs(name)));
    reading.removeAttribute('aria-live');
    const view = messageView(content, release, { window, text, language });
    main.append(view);
    focusHeading(view.querySelector('h2')!);
  } catch (error) {
    if (error instanceof ApiError && !isNetworkProblem(error) && linkProblems[error.code]) return showProblem(linkProblems[error.code]!);
    if (error instanceof ApiError || error instanceof TypeError) {
      return showProblem('network', { label: text.tryAgain, run: () => void read(release, name) });
    }
    if (error instanceof FormatError) return showProblem('unreadable');
    throw error;
  }
}
