import { encodeBase64url } from '../shared/base64url.js';
import { FormatError } from '../shared/errors.js';
import { parseLink, type Link } from '../shared/link.js';

/**
 * The link's secret (PROTOCOL.md §2): read from the fragment and removed from the
 * address bar at once. It is kept in memory, and in sessionStorage only so that a
 * reload or the return from the BankID app (iOS Safari reopens the page) still works;
 * `forgetLink` clears it once the message is read. The secret is never sent anywhere.
 *
 * @example
 * const taken = takeLink(window);
 * if (taken.kind === 'link') deriveKeys(taken.link.secret, messageId);
 */
export type TakenLink =
  | { kind: 'link'; link: Link; linkId: string }
  | { kind: 'problem'; problem: 'secretMissing' | 'secretDamaged' | 'linkNotFound'; linkId: string };

const prefix = 'sigill/';
const secretKey = (linkId: string) => `${prefix}secret/${linkId}`;
const verificationKey = (linkId: string) => `${prefix}verification/${linkId}`;

export function takeLink(window: Window): TakenLink {
  const { location, history } = window;
  const fragment = location.hash.replace(/^#/, '');
  if (location.hash !== '') history.replaceState(history.state, '', location.pathname + location.search);
  const linkId = location.pathname.split('/').pop() ?? '';
  const stored = fragment === '' ? storage(window)?.getItem(secretKey(linkId)) : null;
  const text = fragment || stored || '';
  try {
    const link = parseLink(`${location.origin}${location.pathname}${text ? `#${text}` : ''}`);
    if (fragment !== '') storage(window)?.setItem(secretKey(linkId), fragment);
    return { kind: 'link', link, linkId: encodeBase64url(link.linkId) };
  } catch (error) {
    const code = error instanceof FormatError ? error.code : undefined;
    if (code === 'link_id_invalid' || code === 'link_malformed') return { kind: 'problem', problem: 'linkNotFound', linkId };
    return { kind: 'problem', problem: code === 'link_secret_missing' ? 'secretMissing' : 'secretDamaged', linkId };
  }
}

/** Clears what this tab keeps for the link: the secret and any verification in progress. */
export function forgetLink(window: Window, linkId: string): void {
  storage(window)?.removeItem(secretKey(linkId));
  storage(window)?.removeItem(verificationKey(linkId));
}

export interface StoredVerification {
  verificationId: string;
  flow: 'qr' | 'autostart';
}

/** The verification this tab started, so polling goes on after the BankID app returns. */
export function rememberVerification(window: Window, linkId: string, verification: StoredVerification | undefined): void {
  if (verification === undefined) storage(window)?.removeItem(verificationKey(linkId));
  else storage(window)?.setItem(verificationKey(linkId), JSON.stringify(verification));
}

export function storedVerification(window: Window, linkId: string): StoredVerification | undefined {
  try {
    const value: unknown = JSON.parse(storage(window)?.getItem(verificationKey(linkId)) ?? 'null');
    if (typeof value !== 'object' || value === null) return undefined;
    const { verificationId, flow } = value as Record<string, unknown>;
    if (typeof verificationId !== 'string' || (flow !== 'qr' && flow !== 'autostart')) return undefined;
    return { verificationId, flow };
  } catch {
    return undefined;
  }
}

/** sessionStorage, or undefined where the browser refuses it (some private modes). */
function storage(window: Window): Storage | undefined {
  try {
    return window.sessionStorage;
  } catch {
    return undefined;
  }
}
