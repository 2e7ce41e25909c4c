import { FormatError } from '../shared/errors.js';
import { parseIdentityNumber } from '../shared/identity-number.js';
import { h } from '../ui/dom.js';
import type { Text } from './i18n.js';

/**
 * The optional personal identity number field, checked as it is typed: nothing is said
 * until the number could be complete (10 digits) or the field is left; then either
 * "looks right" or what is wrong (format, check digit, date). The number is only sent
 * to the server as BankID's requirement; it is never stored or logged by the page.
 *
 * @example
 * const field = createIdentityField(text);
 * form.append(field.element);
 * const check = field.value(); // { ok: true, digits?: '198112189876' } or { ok: false }
 */
export interface IdentityField {
  element: HTMLElement;
  /** Empty is fine (the field is optional); an invalid number is not. */
  value(): { ok: true; digits?: string } | { ok: false };
  focus(): void;
}

export function createIdentityField(text: Text): IdentityField {
  const input = h('input', {
    id: 'personal-number',
    name: 'personal-number',
    type: 'text',
    inputmode: 'numeric',
    autocomplete: 'off',
    spellcheck: 'false',
    maxlength: '15',
    'aria-describedby': 'personal-number-hint personal-number-status',
  });
  const status = h('p', { id: 'personal-number-status', class: 'field-status', 'aria-live': 'polite' });
  const element = h(
    'div',
    { class: 'field' },
    h('label', { for: 'personal-number' }, text.personalNumberLabel),
    h('p', { id: 'personal-number-hint', class: 'hint' }, text.personalNumberHint),
    input,
    status,
  );

  const check = (final: boolean): { ok: true; digits?: string } | { ok: false } => {
    const typed = input.value.trim();
    const digitCount = typed.replace(/\D/g, '').length;
    if (typed === '' || (!final && digitCount < 10)) {
      setStatus('', 'neutral');
      return typed === '' ? { ok: true } : { ok: false };
    }
    try {
      const { digits } = parseIdentityNumber(typed);
      setStatus(text.personalNumberValid, 'valid');
      return { ok: true, digits };
    } catch (error) {
      const code = error instanceof FormatError ? error.code : 'identity_number_format';
      setStatus(
        code === 'identity_number_checksum' ? text.personalNumberChecksum : code === 'identity_number_date' ? text.personalNumberDate : text.personalNumberFormat,
        'invalid',
      );
      return { ok: false };
    }
  };

  function setStatus(message: string, kind: 'neutral' | 'valid' | 'invalid') {
    status.textContent = message;
    status.dataset.kind = kind;
    if (kind === 'invalid') input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  }

  input.addEventListener('input', () => check(false));
  input.addEventListener('blur', () => check(true));
  return { element, value: () => check(true), focus: () => input.focus() };
}
