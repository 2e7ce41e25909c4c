import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { DeliveryStore } from '../store/types.js';
import { startBounceListener, type BounceListener } from './email-bounces.js';
import { createSmtpTransport, type EmailTransport } from './email.js';

/** The configured SMTP transport, or undefined without SIGILL_SMTP_URL. */
export function emailTransportOf(config: Pick<Config, 'email'>): EmailTransport | undefined {
  return config.email.smtpUrl ? createSmtpTransport({ settings: config.email }) : undefined;
}

/** Starts the bounce listener when SIGILL_BOUNCE_SMTP_PORT is set (once, in the primary process). */
export async function bounceListenerOf(
  config: Pick<Config, 'email'>,
  deps: { deliveries: DeliveryStore; clock: { now(): number }; logger: Logger },
): Promise<BounceListener | undefined> {
  const { bounceSmtpPort, bounceSmtpHost, bounceDomain } = config.email;
  if (bounceSmtpPort === null) return undefined;
  const listener = await startBounceListener({ ...deps, bounceDomain }, { host: bounceSmtpHost, port: bounceSmtpPort });
  deps.logger.info({ event: 'bounce_listener', host: bounceSmtpHost, port: listener.port }, 'listening for email bounces');
  return listener;
}
