import { createRoute } from '@hono/zod-openapi';
import {
  apiTokenListSchema,
  createdTokenSchema,
  createTokenRequestSchema,
  createUserRequestSchema,
  tokenParamsSchema,
  updateUserRequestSchema,
  userListEntrySchema,
  userListSchema,
  userParamsSchema,
} from '../../shared/api/accounts.js';
import type { AppDeps } from '../deps.js';
import { AppError, notFound } from '../errors.js';
import { newApi } from '../http/api.js';
import { hashCapability } from '../http/secrets.js';
import { errorResponse, errorResponses } from '../messages/schemas.js';
import { requireSender, type SenderVariables } from '../senders/auth.js';
import { newToken } from '../senders/senders.js';
import type { UserRecord } from '../store/account-types.js';
import { accountKey, personalNumberOf } from './identity.js';
import { addUser } from './users.js';

/**
 * The admin API of the toolbox: a sender's users and API tokens. Admins only (a member
 * gets 403 `admin_only`); an API token counts as an admin. A sender keeps at least one
 * admin. A new token is answered once and stored only hashed.
 */
export function createAdminApp(deps: AppDeps) {
  const { store, clock } = deps;
  const app = newApi<{ Variables: SenderVariables }>();
  const security: Record<string, string[]>[] = [{ session: [] }, { bearer: [] }];
  for (const path of ['/users', '/users/*', '/tokens', '/tokens/*']) app.use(path, requireSender(store.senders, { role: 'admin' }));
  const json = <T>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });
  const body = <T>(schema: T) => ({ body: { required: true, content: { 'application/json': { schema } } } });
  const adminErrors = { 401: errorResponses[401], 403: errorResponse('admin_only or origin_refused') };
  const entry = (user: UserRecord, passkeys: number) => ({ id: user.id, name: user.name, role: user.role, createdAt: new Date(user.createdAt).toISOString(), passkeys });
  const keepsAnAdmin = async (senderId: string, userId: string, change: 'demote' | 'delete') => {
    const user = await store.accounts.user(userId);
    if (user?.senderId === senderId && user.role === 'admin' && (await store.accounts.countAdmins(senderId)) <= 1) {
      throw new AppError(409, 'last_admin', `the sender’s last admin cannot be ${change === 'delete' ? 'deleted' : 'made a member'}; make another admin first`);
    }
  };

  app.openapi(
    createRoute({ method: 'get', path: '/users', summary: 'The sender’s users', security, responses: { 200: json(userListSchema, 'Users'), ...adminErrors } }),
    async (c) => c.json({ users: (await store.accounts.listUsers(c.get('sender').id)).map((user) => entry(user, user.passkeys)) }, 200),
  );
  app.openapi(
    createRoute({ method: 'post', path: '/users', summary: 'Add a user (signs in with BankID as this personal identity number)', security, request: body(createUserRequestSchema), responses: { 201: json(userListEntrySchema, 'Added'), 400: errorResponses[400], ...adminErrors, 409: errorResponse('user_exists') } }),
    async (c) => {
      const input = c.req.valid('json');
      const user = await addUser(store, accountKey(deps.config), { senderId: c.get('sender').id, personalNumber: personalNumberOf(input.personalNumber), name: input.name, role: input.role }, clock.now());
      return c.json(entry(user, 0), 201);
    },
  );
  app.openapi(
    createRoute({ method: 'patch', path: '/users/{userId}', summary: 'Rename a user or change their role', security, request: { params: userParamsSchema, ...body(updateUserRequestSchema) }, responses: { 200: json(userListEntrySchema, 'Changed'), 400: errorResponses[400], ...adminErrors, 404: errorResponses[404], 409: errorResponse('last_admin') } }),
    async (c) => {
      const { userId } = c.req.valid('param');
      const change = c.req.valid('json');
      if (change.role === 'member') await keepsAnAdmin(c.get('sender').id, userId, 'demote');
      const user = await store.accounts.updateUser(c.get('sender').id, userId, change);
      if (!user) throw notFound('user_not_found', 'no such user of this sender');
      return c.json(entry(user, (await store.accounts.listPasskeys(user.id)).length), 200);
    },
  );
  app.openapi(
    createRoute({ method: 'delete', path: '/users/{userId}', summary: 'Remove a user (their sessions and passkeys end; their messages stay the sender’s)', security, request: { params: userParamsSchema }, responses: { 204: { description: 'Removed' }, ...adminErrors, 404: errorResponses[404], 409: errorResponse('last_admin') } }),
    async (c) => {
      const { userId } = c.req.valid('param');
      await keepsAnAdmin(c.get('sender').id, userId, 'delete');
      if (!(await store.accounts.deleteUser(c.get('sender').id, userId))) throw notFound('user_not_found', 'no such user of this sender');
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({ method: 'get', path: '/tokens', summary: 'The sender’s live API tokens (never the tokens themselves)', security, responses: { 200: json(apiTokenListSchema, 'Tokens'), ...adminErrors } }),
    async (c) => c.json({ tokens: (await store.accounts.listTokens(c.get('sender').id)).map((t) => ({ ...t, createdAt: new Date(t.createdAt).toISOString() })) }, 200),
  );
  app.openapi(
    createRoute({ method: 'post', path: '/tokens', summary: 'Make an API token; it is answered this once', security, request: body(createTokenRequestSchema), responses: { 201: json(createdTokenSchema, 'Made'), 400: errorResponses[400], ...adminErrors } }),
    async (c) => {
      const token = newToken();
      const now = clock.now();
      const { name } = c.req.valid('json');
      if (!(await store.accounts.addToken(c.get('sender').id, hashCapability(token), name, now))) throw notFound('sender_not_found', 'this sender is revoked');
      return c.json({ id: hashCapability(token).slice(0, 22), name, createdAt: new Date(now).toISOString(), token }, 201);
    },
  );
  app.openapi(
    createRoute({ method: 'delete', path: '/tokens/{tokenId}', summary: 'Revoke an API token', security, request: { params: tokenParamsSchema }, responses: { 204: { description: 'Revoked' }, ...adminErrors, 404: errorResponses[404] } }),
    async (c) => {
      if (!(await store.accounts.revokeToken(c.get('sender').id, c.req.valid('param').tokenId, clock.now()))) throw notFound('token_not_found', 'no such live token of this sender');
      return c.body(null, 204);
    },
  );
  return app;
}
