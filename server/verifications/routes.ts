import { createRoute, z } from '@hono/zod-openapi';
import type { AppDeps } from '../deps.js';
import { bindBrowser, browserOf, clientIp } from '../http/client.js';
import { newApi } from '../http/api.js';
import { errorResponses } from '../messages/schemas.js';
import { cancelVerification, pollVerification } from './poll.js';
import { createRateLimits } from './rate-limits.js';
import { startVerification } from './start.js';

/** The recipient's BankID verification (PROTOCOL.md §8.2 and §8.3). */
export function createVerificationsApp(deps: AppDeps) {
  const app = newApi();
  const limits = createRateLimits(deps.db, deps.config.rateWindowMs);
  const verificationParams = z.object({ verificationId: z.string().openapi({ description: '16-byte random capability, base64url' }) });
  const pollSchema = z
    .union([
      z.object({ status: z.literal('pending'), hintCode: z.string(), qr: z.string().openapi({ description: 'Animated QR string for this second' }) }),
      z.object({ status: z.literal('failed'), hintCode: z.string() }),
      z.object({ status: z.literal('denied') }),
      z.object({ status: z.literal('approved'), name: z.string(), releaseToken: z.string() }),
    ])
    .openapi('VerificationState');

  app.openapi(
    createRoute({
      method: 'post',
      path: '/links/{linkId}/verifications',
      summary: 'Start BankID for a link; the caller proves it holds the link with K_auth',
      request: {
        params: z.object({ linkId: z.string() }),
        body: {
          required: true,
          content: {
            'application/json': {
              schema: z
                .object({
                  authKey: z.string().max(64).openapi({ description: 'K_auth, base64url; checked against authVerifier, never stored' }),
                  personalNumber: z.string().max(20).optional().openapi({ description: 'Required of BankID when given; never stored' }),
                })
                .strict(),
            },
          },
        },
      },
      responses: {
        201: { description: 'Started', content: { 'application/json': { schema: z.object({ verificationId: z.string(), autoStartToken: z.string() }) } } },
        400: errorResponses[400],
        403: { description: 'link_key_invalid' },
        404: errorResponses[404],
        410: { description: 'link_expired, link_revoked or link_exhausted' },
        429: { description: 'too_many_attempts' },
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const started = await startVerification(deps, limits, {
        linkId: c.req.valid('param').linkId,
        authKey: body.authKey,
        personalNumber: body.personalNumber,
        ip: clientIp(c, deps.config.proxyHops),
        browserHash: bindBrowser(c, deps.config.publicOrigin.startsWith('https:')),
      });
      return c.json(started, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/verifications/{verificationId}',
      summary: 'Poll a verification: pending (with the QR string), failed, denied or approved',
      request: { params: verificationParams },
      responses: { 200: { description: 'State', content: { 'application/json': { schema: pollSchema } } }, 404: errorResponses[404], 410: { description: 'Expired' } },
    }),
    async (c) => {
      c.header('Cache-Control', 'no-store');
      return c.json(await pollVerification(deps, c.req.valid('param').verificationId, browserOf(c)), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/verifications/{verificationId}',
      summary: 'Cancel the BankID order',
      request: { params: verificationParams },
      responses: { 204: { description: 'Cancelled' }, 404: errorResponses[404] },
    }),
    async (c) => {
      await cancelVerification(deps, c.req.valid('param').verificationId, browserOf(c));
      return c.body(null, 204);
    },
  );

  return app;
}
