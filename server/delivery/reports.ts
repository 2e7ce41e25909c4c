import { timingSafeEqual } from 'node:crypto';
import { createRoute } from '@hono/zod-openapi';
import { deliveryReportParamsSchema } from '../../shared/api/messages.js';
import type { Context } from 'hono';
import { newApi } from '../http/api.js';
import { hashCapability } from '../http/secrets.js';
import type { AppDeps } from '../deps.js';
import { AppError } from '../errors.js';
import { errorResponse } from '../messages/schemas.js';
import type { DeliveryOutcome, DeliveryReportTarget } from '../store/types.js';
import { elksReportState } from './46elks.js';
import { advanceDelivery } from './advance.js';
import { twilioReportState, verifyTwilioSignature } from './twilio.js';

const sameHash = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * Delivery reports from the providers, POSTed form-encoded to the URL given with each SMS:
 * 46elks `whendelivered` (unsigned: authenticated by the per-delivery token sent as Basic
 * credentials in that URL, stored only hashed) and Twilio `StatusCallback` (verified by
 * X-Twilio-Signature over the public URL and the sorted fields). A report only moves its
 * delivery forward: a replayed or late one is answered 204 and changes nothing; a wrong
 * token is 401, a bad signature or a report about another message 403. A report that moves
 * its delivery queues `delivery.sent`, `delivery.delivered` or `delivery.failed` with the
 * move, in one transaction (./advance.ts).
 */
export function createDeliveryReportsApp({ store, config, clock, logger }: Pick<AppDeps, 'store' | 'config' | 'clock' | 'logger'>) {
  const app = newApi();
  const unauthorized = () => new AppError(401, 'report_unauthorized', 'this delivery report is not authenticated');
  const mismatch = () => new AppError(403, 'report_mismatch', 'this delivery report is about another message');

  const apply = async (target: DeliveryReportTarget, providerId: string, outcome: DeliveryOutcome | undefined) => {
    if (target.providerRefHash && providerId && !sameHash(hashCapability(providerId), target.providerRefHash)) throw mismatch();
    const changed = outcome ? await advanceDelivery(store, target, outcome, clock.now()) : false;
    logger.info({ event: 'sms_report', provider: target.provider, status: outcome?.status ?? 'ignored', changed }, 'SMS delivery report');
  };
  const form = async (c: Context) => Object.fromEntries(new URLSearchParams(await c.req.text())) as Record<string, string>;

  const route = (provider: '46elks' | 'twilio', summary: string, refusals: Record<number, ReturnType<typeof errorResponse>>) =>
    createRoute({
      method: 'post',
      path: `/delivery-reports/${provider}/{deliveryId}`,
      summary,
      request: { params: deliveryReportParamsSchema },
      responses: { 204: { description: 'Taken (a replayed or late report changes nothing)' }, ...refusals },
    });

  app.openapi(
    route('46elks', '46elks whendelivered report (form: id, status, delivered); Basic auth with the per-delivery token', {
      401: errorResponse('report_unauthorized: no or wrong per-delivery token'),
      403: errorResponse('report_mismatch: the report names another message'),
    }),
    async (c) => {
      const target = await store.deliveries.reportTarget(c.req.valid('param').deliveryId);
      const token = tokenOf(c.req.header('authorization'));
      if (!target || target.provider !== '46elks' || !target.reportTokenHash || !token || !sameHash(hashCapability(token), target.reportTokenHash)) throw unauthorized();
      const fields = await form(c);
      const status = elksReportState(fields.status ?? '');
      await apply(target, fields.id ?? '', status && { status, reason: status === 'failed' ? 'provider_report' : null, providerError: status === 'failed' ? 'failed' : null });
      return c.body(null, 204);
    },
  );

  app.openapi(
    route('twilio', 'Twilio StatusCallback (form: MessageSid, MessageStatus, ErrorCode, …) signed with X-Twilio-Signature', {
      401: errorResponse('report_unauthorized: this server does not send through Twilio'),
      403: errorResponse('report_signature_invalid, or report_mismatch: the report names another message'),
    }),
    async (c) => {
      if (config.smsTransport !== 'twilio') throw unauthorized();
      const fields = await form(c);
      const url = config.publicOrigin + c.req.path + new URL(c.req.url).search;
      if (!verifyTwilioSignature(config.sms.twilioAuthToken, url, fields, c.req.header('x-twilio-signature'))) {
        throw new AppError(403, 'report_signature_invalid', 'the X-Twilio-Signature does not match');
      }
      const target = await store.deliveries.reportTarget(c.req.valid('param').deliveryId);
      if (!target) return c.body(null, 204); // signed by Twilio, about a delivery forgotten since
      if (target.provider !== 'twilio') throw mismatch();
      const status = twilioReportState(fields.MessageStatus ?? '');
      const code = /^\d{1,10}$/.test(fields.ErrorCode ?? '') ? fields.ErrorCode! : null;
      await apply(target, fields.MessageSid ?? '', status && { status, reason: status === 'failed' ? 'provider_report' : null, providerError: status === 'failed' ? code : null });
      return c.body(null, 204);
    },
  );
  return app;
}

/** The password of `Basic sigill:<token>`. */
function tokenOf(authorization: string | undefined): string | undefined {
  const match = /^Basic ([A-Za-z0-9+/=]+)$/.exec(authorization ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  return decoded.startsWith('sigill:') ? decoded.slice('sigill:'.length) : undefined;
}
