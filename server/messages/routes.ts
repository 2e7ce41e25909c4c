import { createQuotas } from './quotas.js';
import { createRoute } from '@hono/zod-openapi';
import type { AppDeps } from '../deps.js';
import { notFound } from '../errors.js';
import { relayDelivery } from './deliveries.js';
import { newApi } from '../http/api.js';
import { requireSender, type RequestUser, type SenderVariables } from '../senders/auth.js';
import { createMessage } from './create.js';
import {
  createMessageRequestSchema,
  deliveryRequestSchema,
  messageListQuerySchema,
  messageListSchema,
  messageParamsSchema,
  messageStatusSchema,
  payloadParamsSchema,
  senderSchema,
  smsRequestSchema,
  smsResultSchema,
  uploadResultSchema,
} from '../../shared/api/messages.js';
import { binarySchema } from '../../shared/api/common.js';
import { errorResponse, errorResponses } from './schemas.js';
import type { MessageRecord } from '../store/types.js';
import { messageStatus } from './status.js';
import { uploadPayload } from './upload.js';
import { emitEvent } from '../webhooks/events.js';
import { addUploadRoutes } from '../uploads/routes.js';

/** The sender API: create, upload, relay SMS and email, follow and revoke messages (bearer token). */
export function createMessagesApp(deps: AppDeps) {
  const { store, blobs, config, clock, logger } = deps;
  const app = newApi<{ Variables: SenderVariables }>();
  const security: Record<string, string[]>[] = [{ bearer: [] }, { session: [] }];
  const quotas = createQuotas(store, config);
  const senderAuth = requireSender(store.senders, { gateway: config.gateway.enabled ? { key: config.gateway.key, now: clock.now, accounts: store.accounts } : undefined });
  app.use('/messages', senderAuth);
  app.use('/messages/*', senderAuth);
  app.use('/senders/*', senderAuth);

  /** The message if it belongs to this sender, and for a toolbox member to them (never tells others' ids apart). */
  const ownMessage = async (senderId: string, messageId: string, user: RequestUser): Promise<MessageRecord> => {
    const message = await store.messages.get(messageId);
    if (!message || message.senderId !== senderId || (user?.role === 'member' && message.userId !== user.id)) throw notFound('message_not_found', 'no such message for this sender');
    return message;
  };
  const statusOf = async (messageId: string) => {
    const details = await store.messages.details(messageId);
    if (!details) throw notFound('message_not_found', 'no such message for this sender');
    return messageStatus(details, clock.now());
  };
  const messageParams = messageParamsSchema;
  const statusResponse = (description: string) => ({ description, content: { 'application/json': { schema: messageStatusSchema } } });
  const messageErrors = { 400: errorResponses[400], 401: errorResponses[401], 404: errorResponses[404] };

  app.openapi(
    createRoute({
      method: 'get',
      path: '/senders/me',
      summary: 'The sender this token or session belongs to, the origin links point at and the message size limit (checks a token)',
      security,
      responses: { 200: { description: 'The sender', content: { 'application/json': { schema: senderSchema } } }, 401: errorResponses[401] },
    }),
    (c) => c.json({ id: c.get('sender').id, name: c.get('sender').name, origin: config.publicOrigin, maxMessageBytes: config.maxMessageBytes }, 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/messages',
      summary: 'Create a sealed message; its payloads are uploaded next',
      security,
      request: { body: { required: true, content: { 'application/json': { schema: createMessageRequestSchema } } } },
      responses: {
        201: statusResponse('Created; upload the payloads to make it visible'),
        400: errorResponses[400],
        401: errorResponses[401],
        409: errorResponse('message_exists or link_exists'),
        429: errorResponse('quota_exceeded: the sender’s messages for today (SIGILL_QUOTA_MESSAGES_PER_DAY) are used up'),
        413: errorResponse('message_too_large or body_too_large'),
      },
    }),
    async (c) => {
      return c.json(await createMessage(store, config, quotas, c.get('sender').id, c.req.valid('json'), clock.now(), c.get('user')?.id ?? null), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/messages/{messageId}/payloads/{index}',
      summary: 'Upload one payload’s ciphertext whole (streamed; exactly its declared length)',
      description:
        'Kept beside the chunked upload (PUT …/payloads/{index}/chunks/{chunk}) for simple clients: a payload of one chunk (up to 5,244,160 bytes, most messages) costs the same either way, and a script with curl needs nothing more. It is not resumable: a dropped connection starts the payload again, so client/ (the CLI, the extension, the toolbox) uploads in chunks. A payload already stored answers 409 payload_exists.',
      security,
      request: {
        params: payloadParamsSchema,
        body: { required: true, content: { 'application/octet-stream': { schema: binarySchema } } },
      },
      responses: {
        200: { description: 'Stored', content: { 'application/json': { schema: uploadResultSchema } } },
        400: errorResponses[400],
        401: errorResponses[401],
        404: errorResponses[404],
        409: errorResponse('Already uploaded, or the message is not being uploaded'),
        413: errorResponse('Longer than declared'),
      },
    }),
    async (c) => {
      const { messageId, index } = c.req.valid('param');
      const message = await ownMessage(c.get('sender').id, messageId, c.get('user'));
      // On Node, read the request itself (fewer copies than its web-stream wrapper); app.request() in tests has only the web stream.
      const incoming = (c.env as { incoming?: AsyncIterable<Uint8Array> } | undefined)?.incoming;
      const body = incoming ?? (c.req.raw.body as AsyncIterable<Uint8Array> | null);
      const state = await uploadPayload(store, blobs, message, index, body, c.req.header('content-length'));
      if (state === 'ready') await emitEvent(store, message.senderId, 'message.ready', { messageId: message.id }, clock.now());
      return c.json({ state }, 200);
    },
  );

  addUploadRoutes(app, deps, ownMessage);

  app.openapi(
    createRoute({
      method: 'get',
      path: '/messages',
      summary: 'This sender’s messages, newest first, with per-recipient status and sealed receipts',
      security,
      request: { query: messageListQuerySchema },
      responses: { 200: { description: 'Messages', content: { 'application/json': { schema: messageListSchema } } }, 400: errorResponses[400], 401: errorResponses[401] },
    }),
    async (c) => {
      const { limit, before } = c.req.valid('query');
      const user = c.get('user');
      const messages = await store.messages.listBySender(c.get('sender').id, before ? Date.parse(before) : Number.MAX_SAFE_INTEGER, limit, user?.role === 'member' ? user.id : undefined);
      return c.json({ messages: await Promise.all(messages.map((message) => statusOf(message.id))) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/messages/{messageId}',
      summary: 'One message with per-recipient status and sealed receipts',
      security,
      request: { params: messageParams },
      responses: { 200: statusResponse('The message'), ...messageErrors },
    }),
    async (c) => c.json(await statusOf((await ownMessage(c.get('sender').id, c.req.valid('param').messageId, c.get('user'))).id), 200),
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/messages/{messageId}',
      summary: 'Revoke: the ciphertext is deleted at once and every link answers 410 link_revoked',
      security,
      request: { params: messageParams },
      responses: { 200: statusResponse('Revoked'), ...messageErrors },
    }),
    async (c) => {
      const message = await ownMessage(c.get('sender').id, c.req.valid('param').messageId, c.get('user'));
      const now = clock.now();
      if ((await store.messages.revoke(message.id, now)) && message.state !== 'revoked' && message.state !== 'expired') await emitEvent(store, message.senderId, 'message.revoked', { messageId: message.id }, now);
      await blobs.deleteMessage(message.id, message.payloadLengths.length);
      await store.messages.markPurged(message.id, now);
      logger.info({ event: 'message_revoked' }, 'message revoked');
      return c.json(await statusOf(message.id), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/messages/{messageId}/sms',
      summary: 'Relay an SMS carrying one recipient’s link; the text and number are not stored',
      security,
      request: { params: messageParams, body: { required: true, content: { 'application/json': { schema: smsRequestSchema } } } },
      responses: {
        202: {
          description: 'The delivery and its state: sent (the provider accepted it; reports follow in the status) or failed with a reason (provider_timeout, provider_unavailable, provider_rejected, provider_answer_invalid). Never a 5xx for a provider’s failure',
          content: { 'application/json': { schema: smsResultSchema } },
        },
        401: errorResponses[401],
        404: errorResponses[404],
        400: errorResponse('invalid_request, sms_link_missing, sms_link_split (a part boundary would cut the link), sms_too_long (more than 6 parts), phone_invalid'),
        409: errorResponse('message_not_ready'),
        501: errorResponse('sms_not_configured: the server has no SMS provider (SIGILL_SMS_PROVIDER=none)'),
        429: errorResponse('quota_exceeded: the sender’s SMS for today (SIGILL_QUOTA_SMS_PER_DAY) are used up'),
      },
    }),
    async (c) => {
      const message = await ownMessage(c.get('sender').id, c.req.valid('param').messageId, c.get('user'));
      return c.json(await relayDelivery(deps, quotas, message, c.get('sender'), { channel: 'sms', ...c.req.valid('json') }), 202);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/messages/{messageId}/deliveries',
      summary: 'Relay a prepared text carrying one recipient’s link, by SMS or email; the text and address are not stored',
      security,
      request: { params: messageParams, body: { required: true, content: { 'application/json': { schema: deliveryRequestSchema } } } },
      responses: {
        202: {
          description: 'The delivery and its state: sent (the provider or SMTP relay accepted it; reports and bounces follow in the status) or failed with a reason. Never a 5xx for a provider’s failure',
          content: { 'application/json': { schema: smsResultSchema } },
        },
        401: errorResponses[401],
        404: errorResponses[404],
        400: errorResponse('invalid_request; sms: sms_link_missing, sms_link_split, sms_too_long, phone_invalid; email: email_invalid, email_link_missing, email_too_long'),
        409: errorResponse('message_not_ready'),
        501: errorResponse('sms_not_configured (SIGILL_SMS_PROVIDER=none) or email_not_configured (no SIGILL_SMTP_URL)'),
        429: errorResponse('quota_exceeded: the sender’s SMS (SIGILL_QUOTA_SMS_PER_DAY) or emails (SIGILL_QUOTA_EMAILS_PER_DAY) for today are used up'),
      },
    }),
    async (c) => {
      const message = await ownMessage(c.get('sender').id, c.req.valid('param').messageId, c.get('user'));
      return c.json(await relayDelivery(deps, quotas, message, c.get('sender'), c.req.valid('json')), 202);
    },
  );

  return app;
}
