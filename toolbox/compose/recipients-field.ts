/**
 * The Recipients field: phone numbers and email addresses together, in the seed's syntax
 * (shared/address.ts), one entry a line or separated by commas or semicolons, so a column
 * pasted from a spreadsheet works. Every entry is checked as it is typed and listed with
 * what it becomes or why it is refused; a summary counts the SMS and emails.
 *
 * @example
 * const field = recipientsField(t);
 * form.append(field.element);
 * const { addresses, problems } = field.check();
 */
import { checkRecipients, type CheckedEntry, type RecipientAddress } from '../../shared/address.js';
import { identityScheme } from '../../shared/authorization.js';
import { h, replace } from '../../ui/dom.js';
import type { Texts } from '../texts.js';

export interface RecipientsField {
  element: HTMLElement;
  input: HTMLTextAreaElement;
  /** The entries now: the recipients when every entry is right, and how many are not. */
  check(): { entries: CheckedEntry[]; addresses: RecipientAddress[]; problems: number };
}

/** `se-pnr:198001011234` → `19800101-1234`; `se-pnr:19800101*` → "anyone born 19800101…". */
export function describeReaders(authorization: RecipientAddress['authorization'], t: Texts): string {
  if (authorization === '*') return t.readersAnyone;
  return t.readersList(
    authorization.map((reader) => {
      const digits = reader.slice(identityScheme.length);
      return digits.endsWith('*') ? t.readerPattern(digits.slice(0, -1)) : `${digits.slice(0, 8)}-${digits.slice(8)}`;
    }),
  );
}

export function recipientsField(t: Texts, initial = ''): RecipientsField {
  const input = h('textarea', {
    id: 'recipients',
    name: 'recipients',
    rows: 4,
    wrap: 'off',
    spellcheck: 'false',
    autocomplete: 'off',
    autocapitalize: 'off',
    'aria-describedby': 'recipients-hint recipients-summary',
  });
  input.value = initial;
  const summary = h('p', { id: 'recipients-summary', class: 'summary', 'aria-live': 'polite' });
  const list = h('ul', { class: 'entries', id: 'recipients-entries', 'aria-label': t.checkedEntries });

  const check = () => {
    const entries = checkRecipients(input.value);
    const addresses = entries.flatMap((entry) => (entry.recipient ? [entry.recipient] : []));
    return { entries, addresses, problems: entries.length - addresses.length };
  };
  const render = () => {
    const { entries, addresses, problems } = check();
    input.setAttribute('aria-invalid', String(problems > 0));
    replace(
      list,
      ...entries.map((entry) =>
        entry.recipient
          ? h('li', { class: 'entry ok', 'data-entry': entry.entry }, t.entryOk(entry.recipient.channel, entry.recipient.address, describeReaders(entry.recipient.authorization, t)))
          : h('li', { class: 'entry problem', 'data-entry': entry.entry, 'data-code': entry.problem!.code }, t.entryProblem(entry.entry, entry.text, t.addressProblem(entry.problem!))),
      ),
    );
    const sms = addresses.filter((address) => address.channel === 'sms').length;
    replace(summary, entries.length === 0 ? '' : `${t.recipientsSummary(sms, addresses.length - sms)}${problems > 0 ? ` ${t.recipientsProblems(problems)}` : ''}`);
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(render, 120);
  });
  input.addEventListener('change', render);
  render();

  const element = h(
    'div',
    { class: 'field' },
    h('label', { for: 'recipients' }, t.recipients),
    h('p', { class: 'hint', id: 'recipients-hint' }, t.recipientsHint),
    input,
    summary,
    list,
  );
  return {
    element,
    input,
    check() {
      clearTimeout(timer);
      render();
      return check();
    },
  };
}
