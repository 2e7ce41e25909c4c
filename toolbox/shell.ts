/**
 * The bar around every view: the brand, the navigation (New message, Sent, and Admin for
 * admins), who is signed in, the language switch and Sign out.
 *
 * @example
 * bar.replaceChildren(shell(t, session, { switchLanguage, signOut }));
 */
import { h } from '../ui/dom.js';
import type { Session } from './session.js';
import type { Texts } from './texts.js';

export function shell(t: Texts, session: Session | null, actions: { switchLanguage(): void; signOut(): void }): HTMLElement {
  const language = h('button', { type: 'button', class: 'bar-button', lang: t.language === 'sv' ? 'en' : 'sv', 'aria-label': t.switchLanguage, on: { click: actions.switchLanguage } }, t.otherLanguage);
  return h(
    'div',
    {},
    h('a', { class: 'brand', href: '#/compose' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }), h('span', { class: 'brand-name' }, 'Sigill')),
    session
      ? h(
          'nav',
          { class: 'nav', 'aria-label': t.navigation },
          h('a', { href: '#/compose', 'data-route': 'compose' }, t.compose),
          h('a', { href: '#/sent', 'data-route': 'sent' }, t.sent),
          h('a', { href: '#/keys', 'data-route': 'keys' }, t.receiptKey),
          session.me.user.role === 'admin' ? h('a', { href: '#/admin', 'data-route': 'admin' }, t.admin) : null,
        )
      : null,
    h(
      'div',
      { class: 'bar-end' },
      session ? h('span', { class: 'who' }, t.signedInAs(session.me.user.name, session.me.sender.name)) : null,
      language,
      session ? h('button', { type: 'button', class: 'bar-button', id: 'sign-out', on: { click: actions.signOut } }, t.signOut) : null,
    ),
  );
}
