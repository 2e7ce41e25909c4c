import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { DeliveryStores } from './advance.js';
import { startBounceListener, type BounceListener } from './email-bounces.js';
import { isDevelopment } from '../config.js';
import { createEmailOutbox } from './email-outbox.js';
import { createSmtpTransport, type EmailTransport } from './email.js';

/**
 * The configured SMTP transport; without SIGILL_SMTP_URL the development email outbox on
 * the embedded defaults (one process: `outbox` true), else undefined (no email).
 */
export function emailTransportOf(config: Pick<Config, 'email' | 'bankId'>, { outbox = false, clock }: { outbox?: boolean; clock?: { now(): number } } = {}): EmailTransport | undefined {
  if (config.email.smtpUrl) return createSmtpTransport({ settings: config.email });
  return outbox && isDevelopment(config) ? createEmailOutbox(clock ?? Date) : undefined;
}

/** Starts the bounce listener when SIGILL_BOUNCE_SMTP_PORT is set (once, in the primary process). */
export async function bounceListenerOf(
  config: Pick<Config, 'email'>,
  deps: { store: DeliveryStores; clock: { now(): number }; logger: Logger },
): Promise<BounceListener | undefined> {
  const { bounceSmtpPort, bounceSmtpHost, bounceDomain } = config.email;
  if (bounceSmtpPort === null) return undefined;
  const listener = await startBounceListener({ ...deps, bounceDomain }, { host: bounceSmtpHost, port: bounceSmtpPort });
  deps.logger.info({ event: 'bounce_listener', host: bounceSmtpHost, port: listener.port }, 'listening for email bounces');
  return listener;
}
