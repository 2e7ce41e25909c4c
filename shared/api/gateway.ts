import { z } from 'zod';
import { base64url, messageIdSchema } from './common.js';

/**
 * The mail gateway's shapes (gateway/ ↔ server/gateway/, bearer SIGILL_GATEWAY_KEY).
 * The gateway asks who a mail's From address sends as, claims the mail by its
 * Message-ID (so that an MTA's retry does nothing twice), seals and sends through the
 * ordinary sender API with the short-lived token it got, then marks the mail done and
 * has the server email the sender a confirmation.
 *
 * @example
 * const claim: GatewayClaim = gatewayClaimSchema.parse(await response.json());
 * if (claim.state === 'done') answer250();
 */
export const gatewayClaimRequestSchema = z
  .object({
    from: z.email().max(254).meta({ description: 'The mail’s From address (DMARC-aligned); hashed under the gateway key, never stored' }),
    mailId: z.string().min(1).max(998).meta({ description: 'The mail’s Message-ID header, as sent' }),
  })
  .strict()
  .meta({ id: 'GatewayClaimRequest' });

export const gatewayClaimSchema = z
  .object({
    mailKey: base64url('HMAC of the sender and the Message-ID: the mail’s key').length(43),
    state: z.enum(['new', 'open', 'done']).meta({ description: 'new: go on; open: another attempt is at work now (answer 451); done: delivered before (answer 250, do nothing)' }),
    sender: z.object({ id: z.string(), name: z.string() }),
    receiptKey: base64url('The X25519 public key receipts are sealed to').length(43),
    token: z.string().meta({ description: 'A sender API token for this mail, valid 15 minutes (only with state new)' }).nullable(),
    messageIds: z.array(messageIdSchema).meta({ description: 'Messages earlier attempts made' }),
    delivered: z.array(z.number().int().min(0)).meta({ description: 'Positions (RCPT TO order) of the recipients earlier attempts handed over: send only to the others' }),
  })
  .meta({ id: 'GatewayClaim' });

export const gatewayProgressRequestSchema = z
  .object({
    messageIds: z.array(messageIdSchema).max(100),
    delivered: z.array(z.number().int().min(0).max(999)).max(1000),
    done: z.boolean().meta({ description: 'true: every recipient was handled (answer 250); false: more to do on a retry' }),
  })
  .strict()
  .meta({ id: 'GatewayProgressRequest' });

export const gatewayConfirmationRequestSchema = z
  .object({
    to: z.email().max(254),
    subject: z.string().min(1).max(300),
    text: z.string().min(1).max(100_000),
  })
  .strict()
  .meta({ id: 'GatewayConfirmationRequest' });

export type GatewayClaimRequest = z.infer<typeof gatewayClaimRequestSchema>;
export type GatewayClaim = z.infer<typeof gatewayClaimSchema>;
export type GatewayProgressRequest = z.infer<typeof gatewayProgressRequestSchema>;
export type GatewayConfirmationRequest = z.infer<typeof gatewayConfirmationRequestSchema>;
