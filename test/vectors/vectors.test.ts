import { describe, expect, it } from 'vitest';
import { decodeBase64url } from '../../shared/base64url.js';
import { FormatError } from '../../shared/errors.js';
import { deriveKeys } from '../../shared/keys.js';
import { openBytes } from '../../shared/stream.js';
import { runConformance, type Vectors } from './conformance.js';
import vectorsJson from "./format-v1.json" with { type: "json" };

const vectors = vectorsJson as Vectors;
const results = await runConformance(vectors);

describe('format-v1 vectors (PROTOCOL.md §2–§6)', () => {
  it('cover every kind of vector', () => {
    const kinds = new Set(results.map((r) => r.name.split(':')[0]!.replace(/ \d.*$/, '')));
    for (const kind of ['keys', 'authVerifier', 'tag', 'link', 'errand', 'content', 'payload', 'reject']) {
      expect(kinds).toContain(kind);
    }
    expect(results.filter((r) => r.name.startsWith('reject')).length).toBe(vectors.reject.length);
  });
  for (const result of results) {
    it(result.name, () => expect(result.ok, result.detail).toBe(true));
  }
});

/** The error code each reject case of format-v1.json must be refused with. */
const expectedRejectCodes: Record<string, string> = {
  'bit flipped in first segment': 'segment_tag_invalid',
  'second segment dropped (truncation at a segment boundary)': 'stream_truncated',
  'last 5 bytes cut': 'segment_too_short',
  'empty final segment after a full one (non-canonical)': 'stream_non_canonical',
  'only segment sealed as non-final': 'stream_truncated',
  'shorter than one tag': 'ciphertext_too_short',
  'errand ciphertext opened with the payload key (keys are separated)': 'segment_tag_invalid',
};

describe('format-v1 rejects are refused with their own error code', () => {
  const keys = deriveKeys(decodeBase64url(vectors.secret), decodeBase64url(vectors.messageId));
  for (const reject of vectors.reject) {
    it(reject.why, async () => {
      const key = reject.key === 'payload0' ? keys.payload(0) : keys.payload(1);
      const error = await openBytes(key, decodeBase64url(reject.ciphertext)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(FormatError);
      expect((error as FormatError).code).toBe(expectedRejectCodes[reject.why]);
    });
  }
});
