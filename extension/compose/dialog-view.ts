/**
 * The send dialog: the errand (readable without BankID), who may read for each
 * recipient (checked as typed), extra SMS recipients, expiry and read limit. It builds
 * the SendRequest; email recipients share one link whose readers are all of theirs,
 * unless their readers differ and the sender takes the offer of separate emails
 * (./email-offer.ts).
 */
import { errandMaxCharacters } from '../../shared/content.js';
import { parseMobileNumber } from '../../shared/phone-number.js';
import type { Language } from '../../client/index.js';
import type { DialogRecipient, SendRequest } from '../messages.js';
import { text } from '../texts/index.js';
import { h } from '../../ui/dom.js';
import { errorText } from '../ui/dom.js';
import { emailOffer } from './email-offer.js';
import { describeReaders, parseReaders } from './readers.js';
import type { RecipientRow } from './recipients.js';

export interface DialogInput {
  subject: string;
  rows: RecipientRow[];
  /** What the language choice starts at: the sender's last pick, else the browser's language. */
  language: Language;
}

export type DialogResult = Omit<SendRequest, 'sessionId' | 'text' | 'attachmentCount'>;

interface RowControl {
  row: RecipientRow;
  number?: HTMLInputElement;
  readers: HTMLInputElement;
  check(): boolean;
}

function readersField(row: RecipientRow, label: string, numberInput?: HTMLInputElement): { element: HTMLElement; control: RowControl } {
  const readers = h('input', { type: 'text', 'aria-label': label, placeholder: text('dialog.readersPlaceholder'), value: row.readersText, autocomplete: 'off' });
  const hint = h('p', { class: 'note', role: 'status' });
  const check = (): boolean => {
    const problems: string[] = [];
    if (row.problem) problems.push(row.problem);
    if (numberInput) {
      try {
        parseMobileNumber(numberInput.value);
      } catch (error) {
        problems.push(error instanceof Error ? errorText(error) : text('dialog.notMobile'));
      }
    }
    const parsed = parseReaders(readers.value);
    if ('problem' in parsed) problems.push(parsed.problem);
    hint.className = problems.length ? 'problem' : 'ok';
    hint.textContent = problems.length ? problems.join('; ') : describeReaders('readers' in parsed ? parsed.readers : '*');
    readers.setAttribute('aria-invalid', String(problems.length > 0));
    return problems.length === 0;
  };
  readers.addEventListener('input', check);
  numberInput?.addEventListener('input', check);
  if (row.readersText || row.problem) queueMicrotask(check);
  return { element: h('div', {}, readers, hint), control: { row, readers, check, ...(numberInput ? { number: numberInput } : {}) } };
}

export function createDialogView(input: DialogInput, onSend: (result: DialogResult) => Promise<void>, onBack: () => void): HTMLElement {
  const errand = h('input', { type: 'text', id: 'errand', maxlength: String(errandMaxCharacters), value: input.subject, 'aria-describedby': 'errand-note' });
  const controls: RowControl[] = [];
  const rows = h('div');
  const addRow = (row: RecipientRow, editableNumber: boolean) => {
    const number = editableNumber ? h('input', { type: 'tel', 'aria-label': text('dialog.mobile'), placeholder: '070-123 45 67' }) : undefined;
    const title =
      row.channel === 'email'
        ? text('dialog.byEmail', { who: `${row.name ? `${row.name} ` : ''}<${row.address}>` })
        : text('dialog.bySms', { who: row.address || text('dialog.newRecipient') });
    const field = readersField(row, text('dialog.readers', { address: row.address || text('dialog.smsRecipient') }), number);
    controls.push(field.control);
    rows.append(h('fieldset', {}, h('legend', {}, title), number ? h('label', {}, text('dialog.mobile'), number) : null, field.element));
  };
  for (const row of input.rows) addRow(row, false);
  const emailCount = input.rows.filter((row) => row.channel === 'email').length;
  const offer = emailOffer();
  const emailControls = controls.filter((control) => control.row.channel === 'email');
  const updateOffer = () =>
    offer.update(emailControls.flatMap((control) => {
      const parsed = parseReaders(control.readers.value);
      return 'readers' in parsed ? [parsed.readers] : [];
    }));
  for (const control of emailControls) control.readers.addEventListener('input', updateOffer);
  updateOffer();

  const addSms = h('button', { type: 'button' }, text('dialog.addSms'));
  addSms.addEventListener('click', () => addRow({ channel: 'sms', address: '', name: '', readersText: '' }, true));
  const expiry = h(
    'select',
    { id: 'expiry' },
    ...[1, 7, 30, 90].map((days) => h('option', { value: String(days), selected: days === 30 }, days === 1 ? text('dialog.day') : text('dialog.days', { count: days }))),
  );
  const language = h(
    'select',
    { id: 'language' },
    h('option', { value: 'sv', selected: input.language === 'sv' }, 'Svenska'),
    h('option', { value: 'en', selected: input.language === 'en' }, 'English'),
  );
  const readLimit = h('input', { type: 'number', id: 'read-limit', min: '1', max: '1000', placeholder: text('dialog.noLimit') });
  const status = h('p', { role: 'alert', class: 'problem' });
  const send = h('button', { type: 'button', class: 'primary' }, text('dialog.send'));
  const back = h('button', { type: 'button' }, text('dialog.back'));
  back.addEventListener('click', onBack);

  send.addEventListener('click', async () => {
    status.textContent = '';
    const allValid = controls.map((control) => control.check()).every(Boolean);
    if (errand.value.trim() === '') status.textContent = text('dialog.errandMissing');
    else if (controls.length === 0) status.textContent = text('dialog.recipientsMissing');
    else if (!allValid) status.textContent = text('dialog.checkReaders');
    else if (offer.choice() === undefined) status.textContent = text('dialog.chooseOffer');
    if (status.textContent) return;
    const emailDelivery = offer.choice()!;
    const readersOf = (control: RowControl) => {
      const parsed = parseReaders(control.readers.value);
      return 'readers' in parsed ? parsed.readers : '*';
    };
    const limit = readLimit.value.trim();
    const recipients = controls.map((control): DialogRecipient => ({
      channel: control.row.channel,
      address: control.number ? control.number.value : control.row.address,
      readers: readersOf(control),
    }));
    const result: DialogResult = {
      errand: errand.value.trim(),
      recipients,
      language: language.value === 'en' ? 'en' : 'sv',
      // Separate emails from the server: their addresses leave To, as gateway addresses do.
      removeAddresses: controls.flatMap((control) =>
        control.row.gatewayAddress ? [control.row.gatewayAddress] : emailDelivery === 'server' && control.row.channel === 'email' ? [control.row.address] : [],
      ),
      emailDelivery,
      expiresAt: new Date(Date.now() + Number(expiry.value) * 86_400_000).toISOString(),
      ...(limit ? { readLimit: Number(limit) } : {}),
    };
    send.disabled = true;
    send.textContent = text('dialog.sealing');
    try {
      await onSend(result);
      send.textContent = text('dialog.sent');
    } catch (error) {
      status.textContent = error instanceof Error ? errorText(error) : text('dialog.failed');
      send.disabled = false;
      send.textContent = text('dialog.send');
    }
  });

  return h(
    'section',
    { 'aria-label': text('dialog.heading') },
    h('h1', {}, text('dialog.heading')),
    h('label', { for: 'errand' }, text('dialog.errand')),
    errand,
    h('p', { class: 'note warning', id: 'errand-note' }, text('dialog.errandNote')),
    rows,
    emailCount > 1 ? h('p', { class: 'note' }, text('dialog.shared')) : null,
    offer.element,
    addSms,
    h('div', { class: 'row' }, h('label', {}, text('dialog.expires'), expiry), h('label', {}, text('dialog.readLimit'), readLimit)),
    h('label', {}, text('dialog.language'), language),
    // Kept in view at the bottom of the frame, however long the dialog grows.
    h('footer', { class: 'sticky' }, status, h('div', { class: 'actions' }, send, back)),
  );
}
