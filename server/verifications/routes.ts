import { createRoute } from '@hono/zod-openapi';
import {
  linkParamsSchema,
  startVerificationRequestSchema,
  verificationParamsSchema,
  verificationStartedSchema,
  verificationStateSchema,
} from '../../shared/api/recipient.js';
import type { AppDeps } from '../deps.js';
import { bindBrowser, browserOf, clientIp } from '../http/client.js';
import { newApi } from '../http/api.js';
import { errorResponse, errorResponses } from '../messages/schemas.js';
import { cancelVerification, pollVerification } from './poll.js';
import { createRateLimits, rateLimitSecretOf } from './rate-limits.js';
import { startVerification } from './start.js';

/** The recipient's BankID verification (PROTOCOL.md §8.2 and §8.3). */
export function createVerificationsApp(deps: AppDeps) {
  const app = newApi();
  const limits = createRateLimits(deps.store, deps.config.rateWindowMs, rateLimitSecretOf(deps.config));

  app.openapi(
    createRoute({
      method: 'post',
      path: '/links/{linkId}/verifications',
      summary: 'Start BankID for a link; the caller proves it holds the link with K_auth',
      request: {
        params: linkParamsSchema,
        body: { required: true, content: { 'application/json': { schema: startVerificationRequestSchema } } },
      },
      responses: {
        201: { description: 'Started', content: { 'application/json': { schema: verificationStartedSchema } } },
        400: errorResponses[400],
        403: errorResponse('link_key_invalid: the authKey does not match the link'),
        404: errorResponses[404],
        409: errorResponse('bankid_in_progress: BankID already has an order for this person'),
        410: errorResponses[410],
        429: errorResponse('too_many_attempts: too many wrong keys or identifications started (per address and per link, per window); Retry-After says when to try again'),
        503: errorResponses[503],
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const started = await startVerification(deps, limits, {
        linkId: c.req.valid('param').linkId,
        authKey: body.authKey,
        personalNumber: body.personalNumber,
        language: body.language ?? 'sv',
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
      request: { params: verificationParamsSchema },
      responses: {
        200: { description: 'State', content: { 'application/json': { schema: verificationStateSchema } } },
        404: errorResponses[404],
        410: errorResponse('verification_expired or link_exhausted'),
        503: errorResponses[503],
      },
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
      request: { params: verificationParamsSchema },
      responses: { 204: { description: 'Cancelled' }, 404: errorResponses[404], 410: errorResponse('verification_expired') },
    }),
    async (c) => {
      await cancelVerification(deps, c.req.valid('param').verificationId, browserOf(c));
      return c.body(null, 204);
    },
  );

  return app;
}
