import { z } from 'zod';
import { base64url, linkIdSchema, messageIdSchema, payloadIndexSchema, payloadSizeSchema, timeSchema } from './common.js';

/**
 * The sender API's shapes (bearer token): create, upload, relay an SMS, follow and revoke.
 * Words: `readers` are identities and patterns as the sender typed them (they never
 * reach the server); `tags` are their authorization tags (docs/protocol.md §6), or "*";
 * `tagCount` is how many tags a link has.
 *
 * @example
 * const request: CreateMessageRequest = createMessageRequestSchema.parse(body);
 */
const sealedToReceiptKey = (what: string) =>
  base64url(`${what}: base64url(enc ‖ ciphertext), HPKE to receiptKey (docs/protocol.md §7.1); the server never opens it`).min(64).max(8192);

export const recipientSchema = z
  .object({
    linkId: linkIdSchema,
    tags: z
      .union([z.literal('*'), z.array(base64url('HMAC-SHA256(K_auth, identity or pattern), 32 bytes').length(43)).min(1).max(50)])
      .meta({ description: 'Authorization tags of who may read through this link (docs/protocol.md §6), or "*" for anyone who passes BankID.' }),
    label: sealedToReceiptKey('Who this link went to').optional(),
  })
  .strict()
  .meta({ id: 'Recipient' });

export const createMessageRequestSchema = z
  .object({
    messageId: messageIdSchema,
    errand: base64url('The errand sealed with K_errand (docs/protocol.md §5)').min(22).max(2700),
    authVerifier: base64url('SHA-256(K_auth)').length(43),
    receiptKey: base64url('X25519 public key receipts are sealed to (docs/protocol.md §7)').length(43),
    expiresAt: z.iso.datetime({ offset: true }).optional().meta({ description: 'Default: 30 days from now; within the server’s bounds.' }),
    readLimit: z.number().int().min(1).max(1000).optional().meta({ description: 'How many times each link may be opened after BankID.' }),
    payloads: z.array(payloadSizeSchema).min(1).max(101).meta({ description: 'Ciphertext length of each payload; index 0 is the content document.' }),
    recipients: z.array(recipientSchema).min(1).max(100),
    senderCopy: sealedToReceiptKey('The sender’s copy of the errand and attachment names').optional(),
  })
  .strict()
  .meta({ id: 'CreateMessageRequest' });

export const deliveryStateSchema = z
  .enum(['pending', 'sent', 'delayed', 'delivered', 'failed'])
  .meta({ id: 'DeliveryState', description: 'pending: being handed to the provider; sent: accepted by it; delayed: a mail relay reported a delay; delivered and failed are final.' });

export const deliverySchema = z
  .object({
    deliveryId: z.string(),
    channel: z.enum(['sms', 'email']),
    recipient: z.string().meta({ description: 'Masked: an SMS’s country code and last two digits; an email’s first letter and domain.', example: '+46…67' }),
    status: deliveryStateSchema,
    reason: z
      .string()
      .nullable()
      .meta({
        description:
          'Why it failed: interrupted (a restart cut the hand-over: offer to resend), provider_timeout, provider_unavailable, provider_rejected, provider_answer_invalid, provider_report, transport_failed; null otherwise',
        example: 'interrupted',
      }),
    providerError: z.string().nullable().meta({ description: 'The provider’s own error code, or null', example: '30003' }),
    parts: z.number().int().nullable().meta({ description: 'How many SMS parts the text takes' }),
    at: timeSchema,
  })
  .meta({ id: 'Delivery' });

export const linkStatusSchema = z
  .object({
    linkId: linkIdSchema,
    anyone: z.boolean().meta({ description: 'True when anyone who passes BankID may read ("*")' }),
    tagCount: z.number().int().meta({ description: 'How many authorization tags the link has (0 when anyone may read)' }),
    label: z.string().nullable().meta({ description: 'The sealed label as sent, or null' }),
    deliveries: z.array(deliverySchema),
    openedAt: timeSchema.nullable(),
    verificationStartedAt: timeSchema.nullable(),
    readAt: timeSchema.nullable(),
    reads: z.number().int(),
    deniedAttempts: z.number().int(),
    lastDeniedAt: timeSchema.nullable(),
  })
  .meta({ id: 'LinkStatus' });

export const sealedReceiptSchema = z
  .object({ linkId: linkIdSchema, receipt: base64url('base64url(enc ‖ ciphertext), HPKE to receiptKey (docs/protocol.md §7)'), at: timeSchema })
  .meta({ id: 'SealedReceipt' });

export const messageStateSchema = z.enum(['uploading', 'ready', 'revoked', 'expired']);

export const messageStatusSchema = z
  .object({
    messageId: messageIdSchema,
    state: messageStateSchema,
    errand: z.string().meta({ description: 'The sealed errand, as sent' }),
    createdAt: timeSchema,
    expiresAt: timeSchema,
    revokedAt: timeSchema.nullable(),
    readLimit: z.number().int().nullable(),
    payloads: z.array(payloadSizeSchema),
    payloadsStored: z.number().int().meta({ description: 'How many payloads are uploaded; the message is ready when all are' }),
    receiptKey: base64url('The receipt key the message carries: which of the sender’s keys opens its receipts').length(43),
    senderCopy: z.string().nullable().meta({ description: 'The sealed sender’s copy as sent, or null' }),
    links: z.array(linkStatusSchema),
    receipts: z.array(sealedReceiptSchema),
  })
  .meta({ id: 'MessageStatus' });

export const messageListQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.iso.datetime().optional().meta({ description: 'Only messages created before this time (for the next page)' }),
});

export const messageListSchema = z.object({ messages: z.array(messageStatusSchema) }).meta({ id: 'MessageList' });

export const messageParamsSchema = z.object({ messageId: messageIdSchema });

export const payloadParamsSchema = z.object({ messageId: messageIdSchema, index: payloadIndexSchema });

export const uploadResultSchema = z.object({ state: z.enum(['uploading', 'ready']) }).meta({ id: 'UploadResult' });

export const smsRequestSchema = z
  .object({
    linkId: linkIdSchema,
    to: z.string().min(3).max(40).meta({ description: 'A mobile number in any common form; Swedish when no country code is given.', example: '070-123 45 67' }),
    text: z.string().min(1).max(918).meta({ description: 'The SMS text; it must contain this recipient’s link.' }),
  })
  .strict()
  .meta({ id: 'SmsRequest' });

/** One prepared text relayed for one link over a channel (POST /api/v1/messages/{messageId}/deliveries). */
export const deliveryRequestSchema = z
  .object({
    channel: z.enum(['sms', 'email']),
    linkId: linkIdSchema,
    to: z.string().min(3).max(254).meta({ description: 'A mobile number (sms) or an email address (email); neither is stored.', example: 'anna@example.se' }),
    text: z.string().min(1).max(10_000).meta({ description: 'The prepared text; it must contain this recipient’s link. At most 918 characters for sms.' }),
    language: z.enum(['sv', 'en']).optional().meta({ description: 'The email’s language (its subject line and HTML part); Swedish by default. Ignored for sms.' }),
  })
  .strict()
  .meta({ id: 'DeliveryRequest' });

/** The delivery a provider's report is about (the URL given with the SMS). */
export const deliveryReportParamsSchema = z.object({ deliveryId: z.string().min(1).max(64) });

export const smsResultSchema = z
  .object({
    deliveryId: z.string(),
    status: z.enum(['sent', 'failed']).meta({ description: 'sent: the provider accepted it (reports follow in the status); failed: see reason' }),
    reason: z.string().nullable().meta({ description: 'As in Delivery.reason', example: 'provider_timeout' }),
    providerError: z.string().nullable(),
    parts: z.number().int(),
  })
  .meta({ id: 'SmsResult' });

export const senderSchema = z
  .object({
    id: z.string(),
    name: z.string().meta({ example: 'Bostadsbolaget AB' }),
    origin: z.string().meta({ description: 'The public origin links must point at (the recipient page), which may differ from the API URL', example: 'https://sigill.example' }),
    maxMessageBytes: z.number().int().meta({ description: 'SIGILL_MAX_MESSAGE_BYTES: the most ciphertext all payloads of one message may hold together (a larger message gets 413 message_too_large)', example: 104857600 }),
  })
  .meta({ id: 'Sender' });

export type CreateMessageRequest = z.infer<typeof createMessageRequestSchema>;
export type RecipientRequest = z.infer<typeof recipientSchema>;
export type LinkStatus = z.infer<typeof linkStatusSchema>;
export type MessageStatus = z.infer<typeof messageStatusSchema>;
export type MessageList = z.infer<typeof messageListSchema>;
export type MessageListQuery = z.input<typeof messageListQuerySchema>;
export type SmsRequest = z.infer<typeof smsRequestSchema>;
export type SmsResult = z.infer<typeof smsResultSchema>;
export type DeliveryRequest = z.infer<typeof deliveryRequestSchema>;
export type Delivery = z.infer<typeof deliverySchema>;
export type UploadResult = z.infer<typeof uploadResultSchema>;
export type Sender = z.infer<typeof senderSchema>;
