/**
 * What the tests send and what they look for in the page's requests: the link's secret
 * (the fragment) and K_auth, in every text form they could take.
 */
import { createHash, randomBytes } from 'node:crypto';
import { decodeBase64url, encodeBase64url } from '../../shared/base64url.js';
import { deriveKeys } from '../../shared/keys.js';
import { buildLink, parseLink } from '../../shared/link.js';
import type { SealedMessage } from '../../shared/seal-message.js';
import type { AttachmentSource } from '../../shared/seal-message.js';
import type { RecordedRequest } from './browser.js';

export const anna = '199908072391'; // Test Testsson
export const per = '196802020575'; // Per Holm

export function attachmentOf(name: string, bytes: Uint8Array, type = 'application/pdf'): AttachmentSource {
  return { name, type, size: bytes.length, open: () => new Blob([new Uint8Array(bytes)]).stream() };
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function randomFile(size: number): Uint8Array {
  return new Uint8Array(randomBytes(size));
}

/** A well-formed link to nothing. */
export function unknownLink(origin: string): string {
  return buildLink(origin, new Uint8Array(randomBytes(16)), new Uint8Array(randomBytes(32)));
}

/** The same link with one character of its fragment changed. */
export function damagedLink(link: string): string {
  const at = link.indexOf('#') + 10;
  return link.slice(0, at) + (link[at] === 'A' ? 'B' : 'A') + link.slice(at + 1);
}

function forms(bytes: Uint8Array): string[] {
  const buffer = Buffer.from(bytes);
  return [encodeBase64url(bytes), buffer.toString('base64'), buffer.toString('hex'), encodeURIComponent(buffer.toString('base64'))];
}

/**
 * Acceptance 4: no request carries the secret, and K_auth appears only in the body of
 * the verification start. Returns how many requests carried K_auth (in their body).
 */
export function checkRequests(requests: RecordedRequest[], sealed: SealedMessage): { authKeyBodies: number } {
  const { secret } = parseLink(sealed.links[0]!);
  const authKey = deriveKeys(secret, decodeBase64url(sealed.request.messageId, 16)).auth;
  let authKeyBodies = 0;
  for (const request of requests) {
    const head = `${request.method} ${request.url}\n${JSON.stringify(request.headers)}`;
    for (const form of forms(secret)) {
      if (head.includes(form) || request.body.includes(form)) throw new Error(`the secret went out in ${request.method} ${new URL(request.url).pathname}`);
    }
    for (const form of forms(authKey)) {
      if (head.includes(form)) throw new Error(`K_auth went out in the URL or headers of ${request.method} ${new URL(request.url).pathname}`);
      if (request.body.includes(form)) {
        if (!(request.method === 'POST' && /\/api\/v1\/links\/[^/]+\/verifications$/.test(new URL(request.url).pathname))) {
          throw new Error(`K_auth went out in the body of ${request.method} ${new URL(request.url).pathname}`);
        }
        authKeyBodies++;
      }
    }
  }
  return { authKeyBodies };
}
