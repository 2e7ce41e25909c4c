import type { GatewayConfirmationRequest } from '../../shared/api/gateway.js';
import { EmailSendError } from '../delivery/email.js';
import { escapeHtml } from '../delivery/email-message.js';
import type { AppDeps } from '../deps.js';
import { AppError } from '../errors.js';
import { newCapability } from '../http/secrets.js';

/**
 * The sender's confirmation of a gateway mail, sent once through the server's mail
 * relay (the development outbox on the embedded defaults). Its text is the gateway's;
 * it holds links only when the sender asked for them, and is never logged.
 */
export async function sendConfirmation(deps: Pick<AppDeps, 'mail' | 'config' | 'logger'>, request: GatewayConfirmationRequest): Promise<void> {
  const { mail, config, logger } = deps;
  if (!mail) throw new AppError(501, 'email_not_configured', 'this server sends no email (SIGILL_SMTP_URL is not set)');
  const html = `<!doctype html><html><body><pre style="font-family:inherit;white-space:pre-wrap">${escapeHtml(request.text)}</pre></body></html>`;
  try {
    await mail.send({
      to: request.to,
      fromName: 'Sigill',
      subject: request.subject,
      text: request.text,
      html,
      envelopeFrom: config.email.from,
      dsnId: newCapability(),
    });
    logger.info({ event: 'gateway_confirmation_sent', transport: mail.name }, 'gateway confirmation accepted by the relay');
  } catch (error) {
    const code = error instanceof EmailSendError ? error.providerError : null;
    logger.warn({ event: 'gateway_confirmation_failed', providerError: code }, 'gateway confirmation failed');
    throw new AppError(502, 'email_failed', 'the mail relay did not take the confirmation');
  }
}
