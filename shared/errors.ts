/**
 * The one error type of shared/: every refusal carries a stable snake_case `code`.
 * Callers branch on `code`, never on `message`. Messages never contain a secret, a
 * link fragment, a key, a token or a personal identity number.
 *
 * @example
 * try { parseLink(text) } catch (error) {
 *   if (error instanceof FormatError && error.code === 'link_secret_missing') …
 * }
 */
export type FormatErrorCode =
  // base64url
  | 'base64url_invalid'
  | 'base64url_non_canonical'
  | 'length_invalid'
  // link
  | 'link_malformed'
  | 'link_origin_invalid'
  | 'link_id_invalid'
  | 'link_secret_missing'
  | 'link_secret_invalid'
  // stream (PROTOCOL.md §4)
  | 'ciphertext_too_short'
  | 'segment_too_short'
  | 'segment_tag_invalid'
  | 'stream_truncated'
  | 'stream_non_canonical'
  | 'trailing_data'
  | 'payload_index_invalid'
  // errand and content document (§5)
  | 'errand_invalid'
  | 'errand_too_long'
  | 'content_invalid'
  | 'content_version_unsupported'
  | 'attachment_size_mismatch'
  // authorization (§6)
  | 'identity_invalid'
  | 'pattern_invalid'
  // receipts (§7)
  | 'receipt_key_invalid'
  | 'receipt_invalid'
  // labels and the sender's copy (§7.1)
  | 'label_invalid'
  | 'sender_copy_invalid'
  // identity numbers, phone numbers, addresses
  | 'identity_number_format'
  | 'identity_number_checksum'
  | 'identity_number_date'
  | 'phone_invalid'
  | 'phone_not_mobile'
  | 'email_invalid'
  | 'address_invalid';

export class FormatError extends Error {
  override readonly name = 'FormatError';
  constructor(
    readonly code: FormatErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
