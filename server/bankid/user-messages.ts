/**
 * BankID's recommended user messages (shared/bankid/user-messages.ts), and for the
 * server also a BankIdError: its errorCode when BankID sent one, else RFA22 for an
 * unexpected answer and RFA5 for none.
 *
 * @example
 * userMessage(error, 'sv') // { rfa: 'RFA5', text: 'Internt tekniskt fel. Försök igen.' }
 */
import { userMessage as sharedUserMessage, type Language, type UserMessage, type UserMessageContext, type UserMessageSubject } from '../../shared/bankid/user-messages.js';
import { BankIdError } from './errors.js';

export { rfaTexts, type Language, type RfaCode, type UserMessage, type UserMessageContext, type UserMessageSubject } from '../../shared/bankid/user-messages.js';

export function userMessage(subject: UserMessageSubject | BankIdError, language: Language, context: UserMessageContext = {}): UserMessage {
  if (!(subject instanceof BankIdError)) return sharedUserMessage(subject, language, context);
  if (subject.errorCode !== undefined) return sharedUserMessage({ errorCode: subject.errorCode }, language, context);
  return sharedUserMessage({ callFailed: subject.code === 'bankid_error' ? 'unexpected' : 'unreachable' }, language, context);
}
