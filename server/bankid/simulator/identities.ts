/**
 * Test identities for the simulator's test app. Any valid 12-digit personal number can be used;
 * these are ready-made ones with names (all pass the Luhn check; the last two are coordination
 * numbers).
 */
import { createHash } from 'node:crypto';
import type { Risk } from '../types.js';

export interface TestIdentity {
  personalNumber: string;
  givenName: string;
  surname: string;
  /** The IP address BankID saw the app at; default: `endUserIp` for same-device orders, else 192.0.2.44. */
  ipAddress?: string;
  /** Default: derived from the personal number. */
  uhi?: string;
  /** Default `2023-01-01Z`. */
  bankIdIssueDate?: string;
  /** Sent when the RP asked for `returnRisk`; default `low`. */
  risk?: Risk;
}

export const testIdentities: readonly TestIdentity[] = [
  { personalNumber: '199908072391', givenName: 'Test', surname: 'Testsson' },
  { personalNumber: '200211242383', givenName: 'Alva', surname: 'Lindqvist' },
  { personalNumber: '196802020575', givenName: 'Per', surname: 'Holm' },
  { personalNumber: '199012119948', givenName: 'Sara', surname: 'Nilsson' },
  { personalNumber: '201701012393', givenName: 'Elis', surname: 'Berg' },
  { personalNumber: '195705749959', givenName: 'Jonas', surname: 'Ek' },
  { personalNumber: '197306749982', givenName: 'Maja', surname: 'Sund' },
];

/** A ready-made identity for the number, or one named "Test Person". */
export function identityFor(personalNumber: string): TestIdentity {
  return testIdentities.find((identity) => identity.personalNumber === personalNumber) ?? { personalNumber, givenName: 'Test', surname: 'Person' };
}

/** The device's unique hardware id: stable per personal number, shaped like BankID's. */
export function uhiFor(identity: TestIdentity): string {
  return identity.uhi ?? createHash('sha1').update(`uhi:${identity.personalNumber}`).digest('base64');
}
