/**
 * Why a recipients entry is refused, in the sender's words. English takes shared/address's
 * own reason; Swedish has one sentence per code (and per identity-number failure, so a
 * mistyped check digit says so).
 *
 * @example
 * svProblems({ entry: 1, address: '+46701234567', code: 'login_invalid', reason: '…', detail: 'identity_number_checksum' })
 * // 'login=: kontrollsiffran i personnumret stämmer inte; en siffra kan vara fel'
 */
import type { AddressProblem, AddressProblemCode } from '../shared/address.js';

const sv: Record<AddressProblemCode, string> = {
  address_invalid: 'varken ett mobilnummer eller en e-postadress',
  address_duplicate: 'adressen finns redan; samla alla login=-värden på en rad',
  channel_mismatch: 'fel kanal för adressen',
  phone_invalid: 'inget giltigt telefonnummer',
  phone_not_mobile: 'inget mobilnummer (fast telefon?); det kan inte ta emot sms',
  email_invalid: 'ingen giltig e-postadress',
  parameter_unknown: 'okänd parameter: bara login=<personnummer eller *> får följa adressen',
  login_missing: 'ange vem som får läsa: lägg till &login=<personnummer>, eller &login=* för vem som helst',
  login_invalid: 'login=: inget giltigt personnummer',
  login_pattern_invalid: 'login=: en inledande del är 4 till 11 siffror från århundradet följda av *, som 19800101*',
  login_pattern_star_missing: 'login=: en inledande del behöver sin * på slutet (som 19800101*); eller ange hela personnumret',
  login_wildcard_mixed: 'login=* låter redan vem som helst läsa; ta bort de andra login=-värdena',
};

const svIdentity: Record<string, string> = {
  identity_number_checksum: 'login=: kontrollsiffran i personnumret stämmer inte; en siffra kan vara fel',
  identity_number_date: 'login=: datumet i personnumret finns inte',
  identity_number_format: 'login=: ett personnummer har 10 eller 12 siffror, som ÅÅÅÅMMDD-NNNN',
};

export function svProblems(problem: AddressProblem): string {
  return (problem.detail !== undefined ? svIdentity[problem.detail] : undefined) ?? sv[problem.code];
}

export function enProblems(problem: AddressProblem): string {
  return problem.code === 'phone_not_mobile' ? 'not a mobile number (a landline?), so it cannot get SMS' : problem.reason;
}
