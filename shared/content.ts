import { FormatError } from './errors.js';
import type { MessageKeys } from './keys.js';
import { openBytes, sealBytes } from './stream.js';

/**
 * What is sealed (PROTOCOL.md §5): the errand, shown before BankID, and the content
 * document, payload 0, that lists the attachments (payloads 1…).
 *
 * @example
 * const errand = await sealErrand(keys, 'Your contract is ready');
 * const document = parseContent(await openBytes(keys.payload(0), ciphertext));
 */
export const errandMaxCharacters = 500;

export interface Attachment {
  name: string;
  type: string;
  size: number;
}

export interface ContentDocument {
  v: 1;
  text: string;
  /** Optional; the recipient page must sanitize it before display. */
  html?: string;
  attachments: Attachment[];
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function decodeUtf8(bytes: Uint8Array, code: 'errand_invalid' | 'content_invalid'): string {
  try {
    return decoder.decode(bytes);
  } catch {
    throw new FormatError(code, 'the text is not valid UTF-8');
  }
}

/** Normalizes an errand to NFC and checks its length; returns the text to seal. */
export function checkErrand(errand: string): string {
  if (typeof errand !== 'string') throw new FormatError('errand_invalid', 'the errand must be text');
  const text = errand.normalize('NFC');
  const characters = [...text].length;
  if (characters > errandMaxCharacters) {
    throw new FormatError('errand_too_long', `the errand has ${characters} characters; at most ${errandMaxCharacters}`);
  }
  return text;
}

export async function sealErrand(keys: Pick<MessageKeys, 'errand'>, errand: string): Promise<Uint8Array> {
  return sealBytes(keys.errand, encoder.encode(checkErrand(errand)));
}

export async function openErrand(keys: Pick<MessageKeys, 'errand'>, ciphertext: Uint8Array): Promise<string> {
  const text = decodeUtf8(await openBytes(keys.errand, ciphertext), 'errand_invalid');
  if (text !== text.normalize('NFC')) throw new FormatError('errand_invalid', 'the errand is not NFC text');
  return checkErrand(text);
}

/** The content document as UTF-8 JSON, after checking it. */
export function encodeContent(document: ContentDocument): Uint8Array {
  return encoder.encode(JSON.stringify(checkContent(document)));
}

/** Parses and checks a decrypted content document. */
export function parseContent(bytes: Uint8Array): ContentDocument {
  let value: unknown;
  try {
    value = JSON.parse(decodeUtf8(bytes, 'content_invalid'));
  } catch (error) {
    if (error instanceof FormatError) throw error;
    throw new FormatError('content_invalid', 'the content document is not JSON');
  }
  return checkContent(value);
}

function checkContent(value: unknown): ContentDocument {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new FormatError('content_invalid', 'the content document must be a JSON object');
  }
  const record = value as Record<string, unknown>;
  if (record.v !== 1) throw new FormatError('content_version_unsupported', 'unknown content document version');
  if (typeof record.text !== 'string') throw new FormatError('content_invalid', '"text" must be a string');
  if (record.html !== undefined && typeof record.html !== 'string') {
    throw new FormatError('content_invalid', '"html" must be a string when present');
  }
  if (!Array.isArray(record.attachments)) throw new FormatError('content_invalid', '"attachments" must be a list');
  const attachments = record.attachments.map((item: unknown, i): Attachment => {
    const entry = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    const { name, type, size } = entry;
    if (typeof name !== 'string' || typeof type !== 'string' || !Number.isSafeInteger(size) || (size as number) < 0) {
      throw new FormatError('content_invalid', `attachment ${i + 1} needs a name, a type and a size`);
    }
    return { name, type, size: size as number };
  });
  const document: ContentDocument = { v: 1, text: record.text, attachments };
  if (record.html !== undefined) document.html = record.html as string;
  return document;
}

/**
 * Passes an attachment's decrypted bytes through, refusing a length other than its
 * declared `size` (§5) when the stream ends or overruns.
 */
export function checkAttachmentSize(attachment: Attachment): TransformStream<Uint8Array, Uint8Array> {
  let seen = 0;
  return new TransformStream({
    transform(chunk, controller) {
      seen += chunk.length;
      if (seen > attachment.size) {
        throw new FormatError('attachment_size_mismatch', 'the attachment is longer than its declared size');
      }
      controller.enqueue(chunk);
    },
    flush() {
      if (seen !== attachment.size) {
        throw new FormatError('attachment_size_mismatch', 'the attachment is shorter than its declared size');
      }
    },
  });
}
