import { z } from '@hono/zod-openapi';

/** Request and response schemas of the sender API; the OpenAPI document is made from them. */
const base64url = (description: string) => z.string().regex(/^[A-Za-z0-9_-]*$/, 'must be base64url without padding').openapi({ description });
export const messageIdSchema = base64url('16 random bytes, base64url (22 characters)').length(22);
export const linkIdSchema = base64url('16 random bytes, base64url (22 characters)').length(22);

export const recipientSchema = z
  .object({
    linkId: linkIdSchema,
    readers: z
      .union([z.literal('*'), z.array(base64url('HMAC-SHA256(K_auth, identity or pattern), 32 bytes').length(43)).min(1).max(50)])
      .openapi({ description: 'Authorization tags of who may read through this link (PROTOCOL.md §6), or "*" for anyone who passes BankID.' }),
  })
  .openapi('Recipient');

export const createMessageSchema = z
  .object({
    messageId: messageIdSchema,
    errand: base64url('The errand sealed with K_errand (PROTOCOL.md §5)').min(22).max(2700),
    authVerifier: base64url('SHA-256(K_auth)').length(43),
    receiptKey: base64url('X25519 public key receipts are sealed to (PROTOCOL.md §7)').length(43),
    expiresAt: z.iso.datetime({ offset: true }).optional().openapi({ description: 'Default: 30 days from now; within the server’s bounds.' }),
    readLimit: z.number().int().min(1).max(1000).optional().openapi({ description: 'How many times each link may be opened after BankID.' }),
    payloads: z
      .array(z.object({ index: z.number().int().min(0), length: z.number().int().min(16) }))
      .min(1)
      .max(101)
      .openapi({ description: 'Ciphertext length of each payload; index 0 is the content document.' }),
    recipients: z.array(recipientSchema).min(1).max(100),
  })
  .strict()
  .openapi('CreateMessage');

export const deliverySchema = z.object({
  channel: z.enum(['sms']),
  recipient: z.string().openapi({ description: 'Masked: country code and the last two digits.' }),
  status: z.enum(['sent', 'failed']),
  at: z.string(),
});

export const linkStatusSchema = z
  .object({
    linkId: linkIdSchema,
    readers: z.union([z.literal('*'), z.number().int().openapi({ description: 'How many identities or patterns may read' })]),
    deliveries: z.array(deliverySchema),
    openedAt: z.string().nullable(),
    verificationStartedAt: z.string().nullable(),
    readAt: z.string().nullable(),
    reads: z.number().int(),
    deniedAttempts: z.number().int(),
    lastDeniedAt: z.string().nullable(),
  })
  .openapi('LinkStatus');

export const messageStatusSchema = z
  .object({
    messageId: messageIdSchema,
    state: z.enum(['uploading', 'ready', 'revoked', 'expired']),
    errand: z.string().openapi({ description: 'The sealed errand, as sent' }),
    createdAt: z.string(),
    expiresAt: z.string(),
    revokedAt: z.string().nullable(),
    readLimit: z.number().int().nullable(),
    payloads: z.array(z.object({ index: z.number().int(), length: z.number().int() })),
    payloadsStored: z.number().int().openapi({ description: 'How many payloads are uploaded; the message is ready when all are' }),
    links: z.array(linkStatusSchema),
    receipts: z.array(z.object({ linkId: linkIdSchema, receipt: z.string().openapi({ description: 'base64url(enc ‖ ciphertext), HPKE to receiptKey' }), at: z.string() })),
  })
  .openapi('MessageStatus');

export const smsRequestSchema = z
  .object({
    linkId: linkIdSchema,
    to: z.string().min(3).max(40).openapi({ description: 'A mobile number in any common form; Swedish when no country code is given.' }),
    text: z.string().min(1).max(918).openapi({ description: 'The SMS text; it must contain this recipient’s link.' }),
  })
  .strict()
  .openapi('SmsRequest');

export const errorSchema = z
  .object({ error: z.object({ code: z.string(), message: z.string() }) })
  .openapi('Error');

export const errorResponses = {
  400: { description: 'Bad input', content: { 'application/json': { schema: errorSchema } } },
  401: { description: 'No or bad API token', content: { 'application/json': { schema: errorSchema } } },
  404: { description: 'Not found (or not this sender’s)', content: { 'application/json': { schema: errorSchema } } },
} as const;
