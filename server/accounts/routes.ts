import { createRoute } from '@hono/zod-openapi';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import {
  bankIdSignInParamsSchema,
  bankIdSignInStartedSchema,
  bankIdSignInStateSchema,
  meSchema,
  passkeyOptionsSchema,
  passkeyParamsSchema,
  passkeyRegistrationRequestSchema,
  passkeySignInRequestSchema,
  receiptKeySchema,
} from '../../shared/api/accounts.js';
import type { AppDeps } from '../deps.js';
import { notFound } from '../errors.js';
import { newApi } from '../http/api.js';
import { clientIp } from '../http/client.js';
import { errorResponse, errorResponses } from '../messages/schemas.js';
import { createRateLimits, rateLimitSecretOf } from '../verifications/rate-limits.js';
import { cancelSignIn, pollSignIn, startSignIn } from './bankid-sign-in.js';
import { authenticate, authenticationOptions, registerPasskey, registrationOptions } from './passkeys.js';
import { checkOrigin, endSession, signedIn, startSession, type SessionVariables } from './sessions.js';

/**
 * The toolbox's sign-in and the signed-in user: BankID and passkey sign-in, sign-out,
 * `/me`, passkeys and the PRF-wrapped receipt key (shapes in shared/api/accounts.ts).
 * Every sign-in checks `Origin` (no sign-in forced on from another site).
 */
export function createAccountsApp(deps: AppDeps) {
  const { store, config, clock } = deps;
  const app = newApi<{ Variables: SessionVariables }>();
  const limits = createRateLimits(store, config.rateWindowMs, rateLimitSecretOf(config));
  const cookie = [{ session: [] }];
  const json = <T>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });
  const body = <T>(schema: T) => ({ body: { required: true, content: { 'application/json': { schema } } } });
  const signInErrors = { 400: errorResponses[400], 403: errorResponse('origin_refused: not from the toolbox’s own page') };

  app.openapi(
    createRoute({ method: 'post', path: '/session/bankid', summary: 'Start signing in with BankID (QR or this device)', responses: { 201: json(bankIdSignInStartedSchema, 'Started'), ...signInErrors, 409: errorResponses[409], 429: errorResponse('too_many_attempts: too many sign-ins started from this address (SIGILL_RATE_STARTS_PER_IP per window); Retry-After says when to try again'), 503: errorResponses[503] } }),
    async (c) => {
      checkOrigin(c, config.publicOrigin);
      return c.json(await startSignIn(deps, limits, clientIp(c, config.proxyHops)), 201);
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/session/bankid/{signInId}',
      summary: 'Poll a BankID sign-in; the approved answer sets the session cookie (once)',
      request: { params: bankIdSignInParamsSchema },
      responses: { 200: json(bankIdSignInStateSchema, 'The state'), 404: errorResponses[404], 410: errorResponse('sign_in_expired or sign_in_used'), 503: errorResponses[503] },
    }),
    async (c) => {
      const { state, userId } = await pollSignIn(deps, c.req.valid('param').signInId);
      if (userId) await startSession(c, deps, userId);
      return c.json(state, 200);
    },
  );
  app.openapi(
    createRoute({ method: 'delete', path: '/session/bankid/{signInId}', summary: 'Cancel a BankID sign-in', request: { params: bankIdSignInParamsSchema }, responses: { 204: { description: 'Cancelled' }, 404: errorResponses[404], 410: errorResponses[410] } }),
    async (c) => {
      await cancelSignIn(deps, c.req.valid('param').signInId);
      return c.body(null, 204);
    },
  );
  app.openapi(
    createRoute({ method: 'post', path: '/session/passkey/options', summary: 'WebAuthn authentication options and the PRF input', responses: { 200: json(passkeyOptionsSchema, 'Options'), ...signInErrors } }),
    async (c) => {
      checkOrigin(c, config.publicOrigin);
      return c.json(await authenticationOptions(deps), 200);
    },
  );
  app.openapi(
    createRoute({ method: 'post', path: '/session/passkey', summary: 'Sign in with a passkey; sets the session cookie', request: body(passkeySignInRequestSchema), responses: { 200: { description: 'Signed in' }, ...signInErrors, 401: errorResponse('passkey_refused') } }),
    async (c) => {
      checkOrigin(c, config.publicOrigin);
      const userId = await authenticate(deps, c.req.valid('json').response as unknown as AuthenticationResponseJSON);
      await startSession(c, deps, userId);
      return c.body(null, 200);
    },
  );
  app.openapi(
    createRoute({ method: 'delete', path: '/session', summary: 'Sign out: the session ends and the cookie is cleared', security: cookie, responses: { 204: { description: 'Signed out' }, 403: signInErrors[403] } }),
    async (c) => {
      await endSession(c, deps);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({ method: 'get', path: '/me', summary: 'The signed-in user, their sender, passkeys and receipt key', security: cookie, responses: { 200: json(meSchema, 'Signed in'), 401: errorResponse('signed_out') } }),
    async (c) => {
      const { user, sender } = signedIn(c);
      const passkeys = await store.accounts.listPasskeys(user.id);
      return c.json(
        {
          user: { id: user.id, name: user.name, role: user.role },
          sender: { id: sender.id, name: sender.name },
          passkeys: passkeys.map((p) => ({ id: p.id, name: p.name, createdAt: new Date(p.createdAt).toISOString(), prf: p.prf })),
          receiptKey: await store.accounts.receiptKey(user.id),
        },
        200,
      );
    },
  );
  app.openapi(
    createRoute({ method: 'post', path: '/me/passkeys/options', summary: 'WebAuthn registration options (PRF requested)', security: cookie, responses: { 200: json(passkeyOptionsSchema, 'Options'), 401: errorResponses[401], 403: signInErrors[403] } }),
    async (c) => c.json(await registrationOptions(deps, signedIn(c).user), 200),
  );
  app.openapi(
    createRoute({
      method: 'post',
      path: '/me/passkeys',
      summary: 'Register a passkey for the signed-in user',
      security: cookie,
      request: body(passkeyRegistrationRequestSchema),
      responses: { 201: { description: 'Registered' }, 400: errorResponses[400], 401: errorResponses[401], 403: signInErrors[403], 409: errorResponse('passkey_exists') },
    }),
    async (c) => {
      const { response, name } = c.req.valid('json');
      await registerPasskey(deps, signedIn(c).user, response as unknown as RegistrationResponseJSON, name);
      return c.body(null, 201);
    },
  );
  app.openapi(
    createRoute({ method: 'delete', path: '/me/passkeys/{passkeyId}', summary: 'Remove one of my passkeys (and its copy of the receipt key)', security: cookie, request: { params: passkeyParamsSchema }, responses: { 204: { description: 'Removed' }, 401: errorResponses[401], 403: signInErrors[403], 404: errorResponses[404] } }),
    async (c) => {
      const { user } = signedIn(c);
      const { passkeyId } = c.req.valid('param');
      if (!(await store.accounts.deletePasskey(user.id, passkeyId))) throw notFound('passkey_not_found', 'no such passkey of yours');
      const key = await store.accounts.receiptKey(user.id);
      if (key) await store.accounts.setReceiptKey(user.id, { ...key, wrapped: key.wrapped.filter((entry) => entry.credentialId !== passkeyId) }, clock.now());
      return c.body(null, 204);
    },
  );
  app.openapi(
    createRoute({
      method: 'put',
      path: '/me/receipt-key',
      summary: 'Store my receipt key: the public key and copies wrapped under my passkeys’ PRF outputs',
      security: cookie,
      request: body(receiptKeySchema),
      responses: { 204: { description: 'Stored' }, 400: errorResponses[400], 401: errorResponses[401], 403: signInErrors[403] },
    }),
    async (c) => {
      const { user } = signedIn(c);
      const key = c.req.valid('json');
      const passkeys = new Set((await store.accounts.listPasskeys(user.id)).map((p) => p.id));
      if (key.wrapped.some((entry) => !passkeys.has(entry.credentialId))) throw notFound('passkey_not_found', 'a wrapped copy names a passkey that is not yours');
      await store.accounts.setReceiptKey(user.id, key, clock.now());
      return c.body(null, 204);
    },
  );
  return app;
}
