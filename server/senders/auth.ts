import { createMiddleware } from 'hono/factory';
import { AppError } from '../errors.js';
import type { AccountStore, SessionUser, UserRole } from '../store/account-types.js';
import type { SenderStore } from '../store/types.js';
import { senderForToken, type Sender } from './senders.js';
import { gatewayTokenOwner } from '../gateway/tokens.js';

/** The toolbox user behind a request; null for an API token (sender-wide, as an admin). */
export type RequestUser = { id: string; name: string; role: UserRole } | null;

export type SenderVariables = { sender: Sender; user: RequestUser; session: SessionUser | undefined };

/** The mail gateway's short-lived tokens (SIGILL_GATEWAY=on): checked with its key, for a sender and perhaps one of its users. */
export interface GatewayTokens {
  key: string;
  now: () => number;
  accounts: Pick<AccountStore, 'user'>;
}

/**
 * Authentication for the sender API: a bearer API token, the toolbox's session cookie
 * (read by server/accounts/sessions.ts before this runs), or a mail gateway's token for
 * one mail. Sets `c.get('sender')` and `c.get('user')`. With `role: 'admin'`, a member is
 * refused (403 `admin_only`).
 */
export function requireSender(senders: SenderStore, options: { role?: 'admin'; gateway?: GatewayTokens | undefined } = {}) {
  return createMiddleware<{ Variables: SenderVariables }>(async (c, next) => {
    const header = c.req.header('authorization');
    if (header === undefined && c.get('session')) {
      const { sender, user } = c.get('session')!;
      if (options.role === 'admin' && user.role !== 'admin') throw new AppError(403, 'admin_only', 'only the sender’s admins may do this');
      c.set('sender', sender);
      c.set('user', { id: user.id, name: user.name, role: user.role });
      return next();
    }
    const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
    if (!match) throw new AppError(401, 'token_missing', 'sign in to the toolbox, or send the API token as Authorization: Bearer <token>');
    const { gateway } = options;
    const owner = gateway && !options.role ? gatewayTokenOwner(gateway.key, match[1]!, gateway.now()) : undefined;
    if (owner) {
      const sender = await senders.byId(owner.senderId);
      const user = owner.userId ? await gateway!.accounts.user(owner.userId) : undefined;
      if (!sender || (owner.userId && user?.senderId !== sender.id)) throw new AppError(401, 'token_invalid', 'the gateway token’s sender or user is gone');
      c.set('sender', sender);
      c.set('user', user ? { id: user.id, name: user.name, role: user.role } : null);
      return next();
    }
    const sender = await senderForToken(senders, match[1]!);
    if (!sender) throw new AppError(401, 'token_invalid', 'the API token is unknown or revoked');
    c.set('sender', sender);
    c.set('user', null);
    await next();
  });
}
