import { z } from 'zod';
import { base64url, linkIdSchema, messageIdSchema, payloadIndexSchema, payloadSizeSchema, timeSchema } from './common.js';

/**
 * The recipient's shapes (docs/protocol.md §8): the link, starting and polling a BankID
 * verification, and the payloads.
 *
 * @example
 * const state: VerificationState = verificationStateSchema.parse(await response.json());
 */
export const linkParamsSchema = z.object({ linkId: z.string().meta({ description: 'base64url linkId (22 characters)', example: 'Zt0pL9xWc2QhR5vN8bKe1g' }) });

export const linkInfoSchema = z
  .object({
    messageId: messageIdSchema,
    format: z.literal(1),
    errand: base64url('The sealed errand; opened with K_errand before BankID'),
    sender: z.object({ name: z.string().meta({ example: 'Bostadsbolaget AB' }) }),
    expiresAt: timeSchema,
    payloads: z.array(payloadSizeSchema),
  })
  .meta({ id: 'LinkInfo' });

export const linkPayloadParamsSchema = z.object({ linkId: linkIdSchema, index: payloadIndexSchema });

export const startVerificationRequestSchema = z
  .object({
    authKey: z.string().max(64).meta({ description: 'K_auth, base64url; checked against authVerifier, never stored' }),
    personalNumber: z.string().max(20).optional().meta({ description: 'Required of BankID when given; never stored', example: '198112189876' }),
    language: z.enum(['sv', 'en']).optional().meta({ description: 'The language of the text BankID shows (userVisibleData): the recipient page’s. Default sv.' }),
  })
  .strict()
  .meta({ id: 'StartVerificationRequest' });

export const verificationStartedSchema = z
  .object({
    verificationId: z.string().meta({ description: '16-byte random capability, base64url; known only to this browser' }),
    autoStartToken: z.string().meta({ description: 'Starts the BankID app on this device' }),
  })
  .meta({ id: 'VerificationStarted' });

export const verificationParamsSchema = z.object({ verificationId: z.string().meta({ description: '16-byte random capability, base64url' }) });

export const verificationStateSchema = z
  .union([
    z.object({ status: z.literal('pending'), hintCode: z.string(), qr: z.string().meta({ description: 'Animated QR string for this second' }) }),
    z.object({ status: z.literal('failed'), hintCode: z.string() }),
    z.object({ status: z.literal('denied') }),
    z.object({ status: z.literal('approved'), name: z.string(), releaseToken: z.string() }),
  ])
  .meta({ id: 'VerificationState' });

export type LinkInfo = z.infer<typeof linkInfoSchema>;
export type StartVerificationRequest = z.infer<typeof startVerificationRequestSchema>;
export type VerificationStarted = z.infer<typeof verificationStartedSchema>;
export type VerificationState = z.infer<typeof verificationStateSchema>;
