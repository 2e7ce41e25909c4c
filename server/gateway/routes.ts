import { timingSafeEqual } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import { createMiddleware } from 'hono/factory';
import {
  gatewayClaimRequestSchema,
  gatewayClaimSchema,
  gatewayProgressRequestSchema,
  gatewayConfirmationRequestSchema,
} from '../../shared/api/gateway.js';
import type { AppDeps } from '../deps.js';
import { AppError } from '../errors.js';
import { newApi } from '../http/api.js';
import { errorResponse, errorResponses } from '../messages/schemas.js';
import { sendConfirmation } from './confirmation.js';
import { gatewayHash, gatewayToken } from './tokens.js';

/** How long an open mail stays another attempt's before a retry may take it over. */
const openMailMs = 10 * 60_000;

const mailParams = z.object({ mailKey: z.string().length(43).regex(/^[A-Za-z0-9_-]+$/) });

/**
 * The routes only the mail gateway calls (bearer SIGILL_GATEWAY_KEY), served when
 * SIGILL_GATEWAY=on: who a From address sends as, a mail claimed once by its Message-ID,
 * marked done, and the sender's confirmation email. The gateway seals and sends through
 * the ordinary sender API with the token the claim gives it.
 */
export function createGatewayApp(deps: AppDeps) {
  const { store, clock, config } = deps;
  const key = config.gateway.key;
  const app = newApi();
  const security = [{ gateway: [] }];
  app.use('/gateway/*', createMiddleware(async (c, next) => {
    const given = Buffer.from(/^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1] ?? '');
    const expected = Buffer.from(key);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new AppError(401, 'gateway_key_invalid', 'send the gateway key as Authorization: Bearer <SIGILL_GATEWAY_KEY>');
    await next();
  }));

  app.openapi(
    createRoute({
      method: 'post',
      path: '/gateway/mails',
      summary: 'Who a mail’s From address sends as, and the mail claimed by its Message-ID (the gateway only)',
      security,
      request: { body: { required: true, content: { 'application/json': { schema: gatewayClaimRequestSchema } } } },
      responses: {
        200: { description: 'The sender and the claim', content: { 'application/json': { schema: gatewayClaimSchema } } },
        400: errorResponses[400],
        401: errorResponses[401],
        403: errorResponse('gateway_sender_unknown: the From address is not allowed to send through the gateway'),
        409: errorResponse('receipt_key_missing: the sender (or their toolbox user) has no receipt key yet'),
      },
    }),
    async (c) => {
      const { from, mailId } = c.req.valid('json');
      const mapping = await store.gateway.senderByAddress(gatewayHash(key, 'from', from.toLowerCase()));
      if (!mapping) throw new AppError(403, 'gateway_sender_unknown', 'this From address may not send through the gateway');
      const sender = (await store.senders.byId(mapping.senderId))!;
      const receiptKey = (mapping.userId ? (await store.accounts.receiptKey(mapping.userId))?.publicKey : undefined) ?? mapping.receiptKey;
      if (!receiptKey) throw new AppError(409, 'receipt_key_missing', 'the sender has no receipt key yet: sign in to the toolbox once, or allow the address with --receipt-key');
      const mailKey = gatewayHash(key, 'mail', `${mapping.senderId}\0${mailId}`);
      const now = clock.now();
      const progress = await store.gateway.claimMail(mailKey, mapping.senderId, now, now - openMailMs);
      const token = progress.state === 'new' ? gatewayToken(key, { senderId: sender.id, userId: mapping.userId }, now) : null;
      return c.json({ mailKey, ...progress, sender: { id: sender.id, name: sender.name }, receiptKey, token }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/gateway/mails/{mailKey}',
      summary: 'A claimed mail’s progress: the messages made and the recipients handed over, and whether it is done',
      security,
      request: { params: mailParams, body: { required: true, content: { 'application/json': { schema: gatewayProgressRequestSchema } } } },
      responses: { 204: { description: 'Recorded' }, 400: errorResponses[400], 401: errorResponses[401], 409: errorResponse('mail_not_open: not claimed, or done before') },
    }),
    async (c) => {
      if (!(await store.gateway.recordMail(c.req.valid('param').mailKey, c.req.valid('json'), clock.now()))) {
        throw new AppError(409, 'mail_not_open', 'this mail is not claimed, or it was done before');
      }
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/gateway/mails/{mailKey}',
      summary: 'End an attempt without finishing the mail (the gateway answered 451; the MTA’s retry goes on from its progress)',
      security,
      request: { params: mailParams },
      responses: { 204: { description: 'Released' }, 400: errorResponses[400], 401: errorResponses[401] },
    }),
    async (c) => {
      await store.gateway.releaseMail(c.req.valid('param').mailKey);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/gateway/mails/{mailKey}/confirmation',
      summary: 'Email the sender what the gateway did with their mail',
      security,
      request: { params: mailParams, body: { required: true, content: { 'application/json': { schema: gatewayConfirmationRequestSchema } } } },
      responses: {
        202: { description: 'Handed to the mail relay' },
        400: errorResponses[400],
        401: errorResponses[401],
        501: errorResponse('email_not_configured: the server sends no email'),
        502: errorResponses[502],
      },
    }),
    async (c) => {
      await sendConfirmation(deps, c.req.valid('json'));
      return c.body(null, 202);
    },
  );
  return app;
}
