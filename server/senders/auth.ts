import { createMiddleware } from 'hono/factory';
import { AppError } from '../errors.js';
import type { SessionUser, UserRole } from '../store/account-types.js';
import type { SenderStore } from '../store/types.js';
import { senderForToken, type Sender } from './senders.js';

/** The toolbox user behind a request; null for an API token (sender-wide, as an admin). */
export type RequestUser = { id: string; name: string; role: UserRole } | null;

export type SenderVariables = { sender: Sender; user: RequestUser; session: SessionUser | undefined };

/**
 * Authentication for the sender API: a bearer API token, or the toolbox's session
 * cookie (read by server/accounts/sessions.ts before this runs). Sets `c.get('sender')`
 * and `c.get('user')`. With `role: 'admin'`, a member is refused (403 `admin_only`).
 */
export function requireSender(senders: SenderStore, options: { role?: 'admin' } = {}) {
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
    const sender = await senderForToken(senders, match[1]!);
    if (!sender) throw new AppError(401, 'token_invalid', 'the API token is unknown or revoked');
    c.set('sender', sender);
    c.set('user', null);
    await next();
  });
}
