import { z } from 'zod';
import { timeSchema } from './common.js';

/**
 * The sender API's webhook shapes (bearer token): register an endpoint, list, delete,
 * rotate its secret, enable it again, and send a test ping. Deliveries follow Standard
 * Webhooks v1 (`webhook-id`, `webhook-timestamp`, `webhook-signature`); their body is
 * `webhookEventSchema`.
 *
 * @example
 * const request: CreateWebhookRequest = createWebhookRequestSchema.parse(body);
 */
export const webhookEventTypes = [
  'message.ready',
  'message.expired',
  'message.revoked',
  'delivery.sent',
  'delivery.delivered',
  'delivery.failed',
  'link.opened',
  'verification.started',
  'link.read',
  'link.denied',
  'webhook.test',
] as const;

export const webhookEventTypeSchema = z.enum(webhookEventTypes).meta({ id: 'WebhookEventType' });

export const webhookIdSchema = z
  .string()
  .regex(/^ep_[A-Za-z0-9_-]{22}$/, 'an endpoint id is ep_ and 22 base64url characters')
  .meta({ description: 'The endpoint id', example: 'ep_Zt0pL9xWc2QhR5vN8bKe1g' });

export const createWebhookRequestSchema = z
  .object({
    url: z.string().max(2048).meta({ description: 'An https URL on a public address (private, loopback and link-local addresses are refused)', example: 'https://hooks.example.se/sigill' }),
    events: z.array(webhookEventTypeSchema).max(20).optional().meta({ description: 'The events to receive; absent or empty: every event. webhook.test always arrives.' }),
  })
  .strict()
  .meta({ id: 'CreateWebhookRequest' });

const secretSchema = z.string().meta({ description: 'The signing secret, whsec_ + base64 of 24 random bytes. Shown once: store it now.', example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' });

export const webhookEndpointSchema = z
  .object({
    id: webhookIdSchema,
    url: z.string(),
    events: z.array(webhookEventTypeSchema).meta({ description: 'Empty: every event' }),
    enabled: z.boolean().meta({ description: 'False after the last retry of the schedule failed or the endpoint answered 410' }),
    failureCount: z.number().int().meta({ description: 'Failed attempts since the last delivered one' }),
    lastFailure: z.string().nullable().meta({ description: 'http_500, timeout, connection_failed, webhook_address_refused…', example: 'http_500' }),
    lastFailureAt: timeSchema.nullable(),
    createdAt: timeSchema,
  })
  .meta({ id: 'WebhookEndpoint' });

export const createdWebhookSchema = webhookEndpointSchema.extend({ secret: secretSchema }).meta({ id: 'CreatedWebhookEndpoint' });

export const webhookListSchema = z.object({ endpoints: z.array(webhookEndpointSchema) }).meta({ id: 'WebhookEndpointList' });

export const webhookParamsSchema = z.object({ endpointId: webhookIdSchema });

export const rotatedSecretSchema = z
  .object({ secret: secretSchema, previousSecretExpiresAt: timeSchema.meta({ description: 'Until then deliveries carry a signature with the previous secret too' }) })
  .meta({ id: 'RotatedWebhookSecret' });

export const webhookTestSchema = z.object({ webhookId: z.string().meta({ description: 'The webhook-id of the queued webhook.test event' }) }).meta({ id: 'WebhookTestQueued' });

/** The body of every delivery: thin, ids only, never an errand, address, identity or name. */
export const webhookEventSchema = z
  .object({
    type: webhookEventTypeSchema,
    timestamp: timeSchema,
    data: z.object({
      messageId: z.string().optional(),
      linkId: z.string().optional(),
      endpointId: z.string().optional(),
      channel: z.string().optional().meta({ description: 'delivery.*: sms or email' }),
      errorCode: z.string().optional().meta({ description: 'delivery.failed: the provider’s error code, or interrupted' }),
    }),
  })
  .meta({ id: 'WebhookEvent' });

export type CreateWebhookRequest = z.infer<typeof createWebhookRequestSchema>;
export type WebhookEndpoint = z.infer<typeof webhookEndpointSchema>;
export type CreatedWebhookEndpoint = z.infer<typeof createdWebhookSchema>;
export type WebhookEvent = z.infer<typeof webhookEventSchema>;
export type WebhookEventType = z.infer<typeof webhookEventTypeSchema>;
