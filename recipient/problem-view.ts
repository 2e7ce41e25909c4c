import { button, h } from '../ui/dom.js';
import type { ProblemKind, Text } from './i18n.js';

/**
 * A state the recipient cannot go past alone: one plain sentence of what happened and
 * one of what to do next, with an action where there is one (try again).
 *
 * @example
 * show(main, problemView('linkExpired', text));
 * show(main, problemView('network', text, { label: text.tryAgain, run: retry }));
 */
export function problemView(kind: ProblemKind, text: Text, action?: { label: string; run(): void }, senderName?: string): HTMLElement {
  const problem = text.problems[kind];
  return h(
    'section',
    { class: `card problem problem-${kind}`, 'aria-labelledby': 'problem-heading', 'data-state': kind },
    h('span', { class: `problem-icon ${kind === 'network' ? 'icon-retry' : kind === 'denied' ? 'icon-stop' : 'icon-info'}`, 'aria-hidden': 'true' }),
    h('h1', { id: 'problem-heading' }, problem.title),
    h('p', {}, problem.text),
    h('p', { class: 'next' }, problem.next),
    senderName ? h('p', { class: 'sender-line' }, `${text.secureMessageFrom} ${senderName}`) : null,
    action ? h('div', { class: 'actions' }, button(action.label, action.run, { class: 'button primary' })) : null,
  );
}
