import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { DeliveryStores } from './advance.js';
import { startBounceListener, type BounceListener } from './email-bounces.js';
import { isDevelopment } from '../config.js';
import { createSmtpTransport, type EmailTransport } from './email.js';

/**
 * The configured SMTP transport; without SIGILL_SMTP_URL, on the embedded defaults, the
 * development email outbox that `outbox` makes (the primary keeps it in its memory; a
 * worker's relays to the primary's), else undefined (no email).
 *
 * @example
 * emailTransportOf(config, { outbox: () => createEmailOutbox(clock) }) // in the primary
 */
export function emailTransportOf(config: Pick<Config, 'email' | 'bankId'>, { outbox }: { outbox?: () => EmailTransport } = {}): EmailTransport | undefined {
  if (config.email.smtpUrl) return createSmtpTransport({ settings: config.email });
  return outbox && config.email.developmentOutbox && isDevelopment(config) ? outbox() : undefined;
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
