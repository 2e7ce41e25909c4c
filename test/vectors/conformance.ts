/**
 * Checks an implementation of PROTOCOL.md §2–§6 against a vectors file of the shape of
 * `format-v1.json`: keys, verifier, tags, link, errand, content, payloads (by SHA-256),
 * rejects. Used by the vector tests and by `npm run conformance -- <vectors.json>`.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { authorizationTag, authVerifier } from '../../shared/authorization.js';
import { decodeBase64url, encodeBase64url } from '../../shared/base64url.js';
import { openErrand, parseContent, sealErrand } from '../../shared/content.js';
import { FormatError } from '../../shared/errors.js';
import { deriveKeys, type MessageKeys } from '../../shared/keys.js';
import { buildLink, parseLink } from '../../shared/link.js';
import { collect, createOpenStream, createSealStream, openBytes, sealBytes } from '../../shared/stream.js';

export interface Vectors {
  secret: string;
  messageId: string;
  linkId: string;
  link: string;
  keys: Record<string, string>;
  authVerifier: string;
  tags: { identity: string; tag: string }[];
  errand: { plaintext: string; ciphertext: string };
  content: { plaintext: string; ciphertext: string };
  payloads: { index: number; kind: string; size: number; ciphertextLength: number; ciphertextSha256: string; ciphertext?: string }[];
  reject: { why: string; key: string; ciphertext: string }[];
}

export interface CheckResult {
  name: string;
  ok: boolean;
  detail: string;
}

/** Payload plaintexts of kind "pattern": bytes i % 251 for i = 0..size-1. */
export function patternBytes(size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = i % 251;
  return bytes;
}

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const decode = (text: string) => decodeBase64url(text);
const utf8 = new TextEncoder();

/** The key a vector names: `errand`, `auth`, or `payload<i>`. */
function keyNamed(keys: MessageKeys, name: string): Uint8Array {
  if (name === 'errand') return keys.errand;
  if (name === 'auth') return keys.auth;
  const match = /^payload(\d+)$/.exec(name);
  if (match) return keys.payload(Number(match[1]));
  throw new Error(`unknown key name ${name}`);
}

function streamOf(bytes: Uint8Array, chunk = 10_000): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.subarray(offset, offset + chunk));
      offset += chunk;
    },
  });
}

export async function runConformance(vectors: Vectors): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  /** A check returns undefined (passed), `{ passed }` (passed, with a detail) or a failure text. */
  type Outcome = string | undefined | { passed: string };
  const check = async (name: string, body: () => Promise<Outcome> | Outcome) => {
    try {
      const outcome = await body();
      if (typeof outcome === 'string') results.push({ name, ok: false, detail: outcome });
      else results.push({ name, ok: true, detail: outcome?.passed ?? 'ok' });
    } catch (error) {
      const code = error instanceof FormatError ? ` (${error.code})` : '';
      results.push({ name, ok: false, detail: `threw ${String(error)}${code}` });
    }
  };
  const expectEqual = (actual: string, expected: string, what: string) =>
    actual === expected ? undefined : `${what}: expected ${expected.slice(0, 40)}…, got ${actual.slice(0, 40)}…`;

  const secret = decode(vectors.secret);
  const messageId = decode(vectors.messageId);
  const keys = deriveKeys(secret, messageId);

  for (const [name, expected] of Object.entries(vectors.keys)) {
    await check(`keys: ${name}`, () => expectEqual(encodeBase64url(keyNamed(keys, name)), expected, name));
  }
  await check('authVerifier', () => expectEqual(encodeBase64url(authVerifier(keys.auth)), vectors.authVerifier, 'authVerifier'));
  for (const { identity, tag } of vectors.tags) {
    await check(`tag: ${identity}`, () => expectEqual(encodeBase64url(authorizationTag(keys.auth, identity)), tag, 'tag'));
  }
  await check('link: build', () => {
    const origin = new URL(vectors.link).origin;
    return expectEqual(buildLink(origin, decode(vectors.linkId), secret), vectors.link, 'link');
  });
  await check('link: parse', () => {
    const link = parseLink(vectors.link);
    return expectEqual(`${encodeBase64url(link.linkId)}#${encodeBase64url(link.secret)}`, `${vectors.linkId}#${vectors.secret}`, 'link');
  });
  await check('errand: seal', async () =>
    expectEqual(encodeBase64url(await sealErrand(keys, vectors.errand.plaintext)), vectors.errand.ciphertext, 'errand'),
  );
  await check('errand: open', async () =>
    expectEqual(await openErrand(keys, decode(vectors.errand.ciphertext)), vectors.errand.plaintext, 'errand'),
  );
  await check('content: seal', async () =>
    expectEqual(
      encodeBase64url(await sealBytes(keys.payload(0), utf8.encode(vectors.content.plaintext))),
      vectors.content.ciphertext,
      'content',
    ),
  );
  await check('content: open', async () => {
    const plaintext = await openBytes(keys.payload(0), decode(vectors.content.ciphertext));
    parseContent(plaintext);
    return expectEqual(new TextDecoder().decode(plaintext), vectors.content.plaintext, 'content');
  });
  for (const payload of vectors.payloads) {
    const name = `payload ${payload.index}, ${payload.kind}, ${payload.size} bytes`;
    const plaintext = patternBytes(payload.size);
    const key = keys.payload(payload.index);
    await check(`${name}: seal`, async () => {
      const ciphertext = await collect(streamOf(plaintext).pipeThrough(createSealStream(key)));
      if (ciphertext.length !== payload.ciphertextLength) return `length ${ciphertext.length}, expected ${payload.ciphertextLength}`;
      if (payload.ciphertext !== undefined && encodeBase64url(ciphertext) !== payload.ciphertext) return 'ciphertext differs';
      return expectEqual(hex(sha256(ciphertext)), payload.ciphertextSha256, 'sha256');
    });
    await check(`${name}: open`, async () => {
      const ciphertext = payload.ciphertext !== undefined ? decode(payload.ciphertext) : await sealBytes(key, plaintext);
      const opened = await collect(streamOf(ciphertext, 7_777).pipeThrough(createOpenStream(key)));
      return expectEqual(hex(sha256(opened)), hex(sha256(plaintext)), 'plaintext sha256');
    });
  }
  for (const reject of vectors.reject) {
    await check(`reject: ${reject.why}`, async () => {
      try {
        await openBytes(keyNamed(keys, reject.key), decode(reject.ciphertext));
        return 'was accepted';
      } catch (error) {
        if (!(error instanceof FormatError)) return `refused without a FormatError: ${String(error)}`;
        return { passed: error.code };
      }
    });
  }
  return results;
}
