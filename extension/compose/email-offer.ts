/**
 * "One link per reader where readers differ": a webmail sends one email to all its
 * recipients, so they share one link whose readers are the union of theirs, and a `*` on
 * one of them would let anyone read what the sender restricted for the others. When the
 * email recipients' readers differ, the send dialog shows this offer: have the server
 * send each a separate email with a link of their own (and take them out of To), or
 * share one link anyway. Neither is picked for the sender: sending waits for a choice.
 *
 * @example
 * const offer = emailOffer();
 * offer.update(['*', ['se-pnr:198112189876']]); // shown
 * offer.choice(); // undefined until the sender picks; then 'server' or 'webmail'
 */
import type { EmailDelivery } from '../../client/index.js';
import { text } from '../texts/index.js';
import { h } from '../../ui/dom.js';
import { describeReaders } from './readers.js';

type Readers = '*' | string[];

/** Whether these readers (one per email recipient) are not all the same. */
export function readersDiffer(readers: readonly Readers[]): boolean {
  return new Set(readers.map((entry) => (entry === '*' ? '*' : JSON.stringify([...entry].sort())))).size > 1;
}

/** Everyone listed for any of them: what one shared link lets read. */
export function unionOf(readers: readonly Readers[]): Readers {
  return readers.includes('*') ? '*' : [...new Set(readers.flatMap((entry) => entry as string[]))];
}

export interface EmailOffer {
  element: HTMLElement;
  /** The email recipients' readers as they stand (invalid ones left out). */
  update(readers: readonly Readers[]): void;
  /** 'webmail' when readers agree or the sender chose to share; 'server' for separate emails; undefined while a choice is owed. */
  choice(): EmailDelivery | undefined;
}

export function emailOffer(): EmailOffer {
  const separate = h('input', { type: 'radio', name: 'email-delivery', value: 'server' });
  const share = h('input', { type: 'radio', name: 'email-delivery', value: 'webmail' });
  const shareLabel = h('span');
  const element = h(
    'fieldset',
    { class: 'offer', id: 'email-offer', hidden: true },
    h('legend', {}, text('dialog.differ')),
    h('label', {}, separate, ' ', text('dialog.separate')),
    h('label', {}, share, ' ', shareLabel),
  );
  let differ = false;
  return {
    element,
    update(readers) {
      differ = readers.length > 1 && readersDiffer(readers);
      element.hidden = !differ;
      shareLabel.textContent = text('dialog.shareAnyway', { who: differ ? describeReaders(unionOf(readers)) : '' });
    },
    choice() {
      if (!differ) return 'webmail';
      return separate.checked ? 'server' : share.checked ? 'webmail' : undefined;
    },
  };
}
