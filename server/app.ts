import { createGatewayApp } from './gateway/routes.js';
import { OpenAPIHono } from '@hono/zod-openapi';
import { RegExpRouter } from 'hono/router/reg-exp-router';
import type { AppDeps } from './deps.js';
import type { SessionUser } from './store/account-types.js';
import { errorHandler } from './http/errors.js';
import { everyAnswerHeaders, setHeader } from './http/headers.js';
import { jsonBody } from './http/json-body.js';
import { requestLog } from './http/logging.js';
import { createLinksApp } from './links/routes.js';
import { createMessagesApp } from './messages/routes.js';
import { createOutboxPage } from './delivery/outbox-page.js';
import { isEmailOutbox } from './delivery/email-outbox.js';
import { createDeliveryReportsApp } from './delivery/reports.js';
import { createDocsApp, protocolPath } from './docs/routes.js';
import { createRecipientPage } from './recipient-page/routes.js';
import { createToolboxPage } from './toolbox-page/routes.js';
import { isOutbox } from './delivery/sms.js';
import { isDevelopment } from './config.js';
import { createVerificationsApp } from './verifications/routes.js';
import { createWebhooksApp } from './webhooks/routes.js';
import { createAccountsApp } from './accounts/routes.js';
import { createAdminApp } from './accounts/admin-routes.js';
import { sessions } from './accounts/sessions.js';

/**
 * The whole server as one Hono app, composed from one sub-app per capability. Every
 * dependency comes in through `deps`, so each test builds a fresh app.
 *
 * @example
 * const app = createApp(deps);
 * const response = await app.request('/api/v1/links/…');
 */
export function createApp(deps: AppDeps) {
  // RegExpRouter on purpose: several times faster than the trie router on every request.
  // A route it cannot take fails the first request (and every test) instead of slowing all.
  const app = new OpenAPIHono<{ Variables: { requestId: string; session: SessionUser | undefined } }>({ router: new RegExpRouter() });
  // A request id, and headers every answer carries. Set before the handler, so they go out
  // with the response it makes: changing headers afterwards turns Hono's light response
  // into a full one (several times the cost).
  app.use(async (c, next) => {
    const requestId = crypto.randomUUID();
    c.set('requestId', requestId);
    setHeader(c, 'X-Request-Id', requestId);
    for (const name in everyAnswerHeaders) setHeader(c, name, everyAnswerHeaders[name]!);
    await next();
  });
  if (deps.logger.isLevelEnabled('info')) app.use(requestLog(deps.logger));
  // JSON bodies are small; payloads are streamed with their own declared-length limit.
  const jsonBodies = jsonBody(256 * 1024);
  app.on(['POST', 'PUT', 'PATCH'], '/api/v1/*', async (c, next) => {
    if (/\/payloads\/\d+(\/chunks\/\d+)?$/.test(c.req.path)) return next();
    return jsonBodies(c, next);
  });

  // The toolbox's session cookie, read once for every API request that carries it (server/accounts/sessions.ts).
  app.use('/api/v1/*', sessions(deps));
  app.route('/api/v1', createAccountsApp(deps));
  app.route('/api/v1', createAdminApp(deps));
  app.route('/api/v1', createMessagesApp(deps));
  app.route('/api/v1', createLinksApp(deps));
  app.route('/api/v1', createVerificationsApp(deps));
  app.route('/api/v1', createDeliveryReportsApp(deps));
  app.route('/api/v1', createWebhooksApp(deps));
  if (deps.config.gateway.enabled) app.route('/api/v1', createGatewayApp(deps));

  // The development outbox shows every SMS with its link: only on the development
  // defaults (the BankID simulator and the outbox transport), never beside a real BankID.
  if (isDevelopment(deps.config) && deps.config.smsTransport === 'outbox' && isOutbox(deps.sms)) app.route('/', createOutboxPage(deps.sms, isEmailOutbox(deps.mail) ? deps.mail : undefined));

  const protocolDocument = deps.config.publicOrigin + protocolPath;
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', description: 'A sender API token' });
  app.openAPIRegistry.registerComponent('securitySchemes', 'gateway', { type: 'http', scheme: 'bearer', description: 'SIGILL_GATEWAY_KEY: the mail gateway only' });
  app.openAPIRegistry.registerComponent('securitySchemes', 'session', { type: 'apiKey', in: 'cookie', name: 'sigill_session', description: 'The toolbox’s session (HttpOnly, SameSite=Lax); state changes need Origin = the public origin' });
  app.openAPIRegistry.registerComponent('securitySchemes', 'releaseToken', { type: 'http', scheme: 'bearer', description: 'A release token from an approved verification' });
  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Sigill API',
      version: '1',
      description: [
        'Zero-knowledge secure messages opened with BankID. The sender API creates, uploads, relays, follows and revokes messages;',
        'the recipient API opens a link, verifies with BankID and streams the payloads. The wire format, the key schedule, tags,',
        'receipts, labels and both flows are in the protocol document: ' + protocolDocument,
        'Every error is {"error":{"code","message"}} with a stable snake_case code.',
      ].join(' '),
    },
    externalDocs: { description: 'The Sigill protocol (docs/protocol.md)', url: protocolDocument },
    servers: [{ url: deps.config.publicOrigin, description: 'This server' }],
  });

  app.route('/', createDocsApp());
  app.route('/', createRecipientPage());
  app.route('/', createToolboxPage());

  app.notFound((c) => c.json({ error: { code: 'not_found', message: 'no such endpoint' } }, 404));
  app.onError(errorHandler(deps.logger));
  return app;
}
