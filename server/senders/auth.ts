import { createMiddleware } from 'hono/factory';
import { AppError } from '../errors.js';
import type { SenderStore } from '../store/types.js';
import { senderForToken, type Sender } from './senders.js';

export type SenderVariables = { sender: Sender };

/** Bearer-token authentication for the sender API; sets `c.get('sender')`. */
export function requireSender(senders: SenderStore) {
  return createMiddleware<{ Variables: SenderVariables }>(async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new AppError(401, 'token_missing', 'send the API token as Authorization: Bearer <token>');
    const sender = await senderForToken(senders, match[1]!);
    if (!sender) throw new AppError(401, 'token_invalid', 'the API token is unknown or revoked');
    c.set('sender', sender);
    await next();
  });
}
