/**
 * The bar around every view: the brand, the navigation (New message, Sent, and Admin for
 * admins), who is signed in, the language switch and Sign out.
 *
 * @example
 * bar.replaceChildren(shell(t, session, { switchLanguage, signOut }));
 */
import { el } from './dom.js';
import type { Session } from './session.js';
import type { Texts } from './texts.js';

export function shell(t: Texts, session: Session | null, actions: { switchLanguage(): void; signOut(): void }): HTMLElement {
  const language = el('button', { type: 'button', class: 'bar-button', lang: t.language === 'sv' ? 'en' : 'sv', 'aria-label': t.switchLanguage, on: { click: actions.switchLanguage } }, t.otherLanguage);
  return el(
    'div',
    {},
    el('a', { class: 'brand', href: '#/compose' }, el('span', { class: 'brand-mark', 'aria-hidden': 'true' }), el('span', { class: 'brand-name' }, 'Sigill')),
    session
      ? el(
          'nav',
          { class: 'nav', 'aria-label': t.navigation },
          el('a', { href: '#/compose', 'data-route': 'compose' }, t.compose),
          el('a', { href: '#/sent', 'data-route': 'sent' }, t.sent),
          el('a', { href: '#/keys', 'data-route': 'keys' }, t.receiptKey),
          session.me.user.role === 'admin' ? el('a', { href: '#/admin', 'data-route': 'admin' }, t.admin) : null,
        )
      : null,
    el(
      'div',
      { class: 'bar-end' },
      session ? el('span', { class: 'who' }, t.signedInAs(session.me.user.name, session.me.sender.name)) : null,
      language,
      session ? el('button', { type: 'button', class: 'bar-button', id: 'sign-out', on: { click: actions.signOut } }, t.signOut) : null,
    ),
  );
}
