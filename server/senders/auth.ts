import { createMiddleware } from 'hono/factory';
import { AppError } from '../errors.js';
import type { SenderStore } from '../store/types.js';
import { senderForToken, type Sender } from './senders.js';
import { gatewayTokenSender } from '../gateway/tokens.js';

export type SenderVariables = { sender: Sender };

/** Bearer-token authentication for the sender API (an API token, or a mail gateway's short-lived token); sets `c.get('sender')`. */
export function requireSender(senders: SenderStore, gateway?: { key: string; now: () => number }) {
  return createMiddleware<{ Variables: SenderVariables }>(async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new AppError(401, 'token_missing', 'send the API token as Authorization: Bearer <token>');
    const gatewaySender = gateway ? gatewayTokenSender(gateway.key, match[1]!, gateway.now()) : undefined;
    const sender = gatewaySender ? await senders.byId(gatewaySender) : await senderForToken(senders, match[1]!);
    if (!sender) throw new AppError(401, 'token_invalid', 'the API token is unknown or revoked');
    c.set('sender', sender);
    await next();
  });
}
