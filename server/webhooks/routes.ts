import { createRoute } from '@hono/zod-openapi';
import {
  createdWebhookSchema,
  createWebhookRequestSchema,
  rotatedSecretSchema,
  webhookEndpointSchema,
  webhookListSchema,
  webhookParamsSchema,
  webhookTestSchema,
} from '../../shared/api/webhooks.js';
import type { AppDeps } from '../deps.js';
import { newApi } from '../http/api.js';
import { errorResponse, errorResponses } from '../messages/schemas.js';
import { requireSender, type SenderVariables } from '../senders/auth.js';
import { deleteEndpoint, endpointView, enableEndpoint, pingEndpoint, registerEndpoint, rotateSecret } from './endpoints.js';

/**
 * The sender API's webhook endpoints: a bearer token, or the toolbox's session of one of
 * the sender's admins (its admin page); a member gets 403 `admin_only`, and a cookie's
 * state change from another origin 403 `origin_refused` (server/accounts/sessions.ts).
 * Deliveries: ./worker.ts.
 */
export function createWebhooksApp(deps: AppDeps) {
  const { store } = deps;
  const app = newApi<{ Variables: SenderVariables }>();
  const security: Record<string, string[]>[] = [{ bearer: [] }, { session: [] }];
  app.use('/webhooks', requireSender(store.senders, { role: 'admin' }));
  app.use('/webhooks/*', requireSender(store.senders, { role: 'admin' }));
  const json = <T>(description: string, schema: T) => ({ description, content: { 'application/json': { schema } } });
  const adminOnly = { 403: errorResponse('admin_only (a toolbox member) or origin_refused') };
  const endpointErrors = { 400: errorResponses[400], 401: errorResponses[401], ...adminOnly, 404: errorResponse('webhook_not_found') };

  app.openapi(
    createRoute({
      method: 'post',
      path: '/webhooks',
      summary: 'Register an https endpoint for this sender’s events (Standard Webhooks); the answer holds its secret, shown once',
      security,
      request: { body: { required: true, content: { 'application/json': { schema: createWebhookRequestSchema } } } },
      responses: {
        201: json('Registered', createdWebhookSchema),
        400: errorResponse('invalid_request, webhook_url_invalid, webhook_url_not_https, webhook_address_refused or webhook_name_unresolved'),
        401: errorResponses[401],
        ...adminOnly,
        409: errorResponse('webhook_limit_reached'),
      },
    }),
    async (c) => c.json(await registerEndpoint(deps, c.get('sender').id, c.req.valid('json')), 201),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/webhooks',
      summary: 'This sender’s endpoints with their state: enabled, failure count and last failure',
      security,
      responses: { 200: json('Endpoints', webhookListSchema), 401: errorResponses[401], ...adminOnly },
    }),
    async (c) => c.json({ endpoints: (await store.webhooks.listEndpoints(c.get('sender').id)).map(endpointView) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'delete',
      path: '/webhooks/{endpointId}',
      summary: 'Delete an endpoint and its queued deliveries',
      security,
      request: { params: webhookParamsSchema },
      responses: { 204: { description: 'Deleted' }, ...endpointErrors },
    }),
    async (c) => {
      await deleteEndpoint(deps, c.get('sender').id, c.req.valid('param').endpointId);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/webhooks/{endpointId}/rotate',
      summary: 'A new secret (shown once); the previous one keeps signing beside it for 24 hours',
      security,
      request: { params: webhookParamsSchema },
      responses: { 200: json('Rotated', rotatedSecretSchema), ...endpointErrors },
    }),
    async (c) => c.json(await rotateSecret(deps, c.get('sender').id, c.req.valid('param').endpointId), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/webhooks/{endpointId}/enable',
      summary: 'Enable an endpoint that was disabled after failing, with its failure count reset',
      security,
      request: { params: webhookParamsSchema },
      responses: { 200: json('Enabled', webhookEndpointSchema), ...endpointErrors },
    }),
    async (c) => c.json(await enableEndpoint(deps, c.get('sender').id, c.req.valid('param').endpointId), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/webhooks/{endpointId}/test',
      summary: 'Queue a webhook.test event for this endpoint',
      security,
      request: { params: webhookParamsSchema },
      responses: { 202: json('Queued', webhookTestSchema), ...endpointErrors, 409: errorResponse('webhook_disabled') },
    }),
    async (c) => c.json(await pingEndpoint(deps, c.get('sender').id, c.req.valid('param').endpointId), 202),
  );

  return app;
}
