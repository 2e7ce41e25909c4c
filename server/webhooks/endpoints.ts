import { randomBytes } from 'node:crypto';
import type { CreateWebhookRequest, CreatedWebhookEndpoint, WebhookEndpoint } from '../../shared/api/webhooks.js';
import type { AppDeps } from '../deps.js';
import { AppError, badRequest, notFound } from '../errors.js';
import type { WebhookEndpointRecord } from '../store/webhook-types.js';
import { emitEvent } from './events.js';
import { newSecret, openSecrets, rotate, rotationOverlapMs, sealSecrets, webhookKey } from './secrets.js';
import { resolveTarget, TargetError } from './targets.js';

/** What the endpoint routes do, apart from HTTP: register (checked target), list, delete, rotate, enable, ping. */
type Deps = Pick<AppDeps, 'store' | 'config' | 'clock'>;

const maxEndpointsPerSender = 20;
const iso = (time: number | null) => (time === null ? null : new Date(time).toISOString());

export function endpointView(record: WebhookEndpointRecord): WebhookEndpoint {
  return {
    id: record.id,
    url: record.url,
    events: record.events as WebhookEndpoint['events'],
    enabled: record.enabled,
    failureCount: record.failureCount,
    lastFailure: record.lastFailure,
    lastFailureAt: iso(record.lastFailureAt),
    createdAt: iso(record.createdAt)!,
  };
}

async function checkTarget(url: string, allowLoopback: boolean): Promise<void> {
  try {
    await resolveTarget(url, allowLoopback);
  } catch (error) {
    if (error instanceof TargetError) throw badRequest(error.code, error.message);
    throw error;
  }
}

export async function registerEndpoint({ store, config, clock }: Deps, senderId: string, request: CreateWebhookRequest): Promise<CreatedWebhookEndpoint> {
  await checkTarget(request.url, config.webhooksAllowLoopback);
  if ((await store.webhooks.listEndpoints(senderId)).length >= maxEndpointsPerSender) {
    throw new AppError(409, 'webhook_limit_reached', `a sender may register at most ${maxEndpointsPerSender} endpoints`);
  }
  const id = `ep_${randomBytes(16).toString('base64url')}`;
  const secret = newSecret();
  const record: WebhookEndpointRecord = {
    id,
    senderId,
    url: new URL(request.url).href,
    events: [...new Set(request.events ?? [])],
    sealedSecrets: sealSecrets(webhookKey(config), id, [{ secret, expiresAt: null }]),
    enabled: true,
    failureCount: 0,
    lastFailureAt: null,
    lastFailure: null,
    createdAt: clock.now(),
  };
  await store.webhooks.createEndpoint(record);
  return { ...endpointView(record), secret };
}

async function ownEndpoint({ store }: Deps, senderId: string, endpointId: string): Promise<WebhookEndpointRecord> {
  const endpoint = await store.webhooks.getEndpoint(senderId, endpointId);
  if (!endpoint) throw notFound('webhook_not_found', 'no such webhook endpoint for this sender');
  return endpoint;
}

export async function deleteEndpoint(deps: Deps, senderId: string, endpointId: string): Promise<void> {
  if (!(await deps.store.webhooks.deleteEndpoint(senderId, endpointId))) throw notFound('webhook_not_found', 'no such webhook endpoint for this sender');
}

export async function rotateSecret(deps: Deps, senderId: string, endpointId: string) {
  const endpoint = await ownEndpoint(deps, senderId, endpointId);
  const key = webhookKey(deps.config);
  const now = deps.clock.now();
  const { secrets, secret } = rotate(openSecrets(key, endpoint.id, endpoint.sealedSecrets), now);
  if (!(await deps.store.webhooks.setSecrets(senderId, endpoint.id, sealSecrets(key, endpoint.id, secrets)))) {
    throw notFound('webhook_not_found', 'no such webhook endpoint for this sender');
  }
  return { secret, previousSecretExpiresAt: new Date(now + rotationOverlapMs).toISOString() };
}

export async function enableEndpoint(deps: Deps, senderId: string, endpointId: string): Promise<WebhookEndpoint> {
  const endpoint = await ownEndpoint(deps, senderId, endpointId);
  await checkTarget(endpoint.url, deps.config.webhooksAllowLoopback);
  await deps.store.webhooks.enable(senderId, endpointId);
  return endpointView((await deps.store.webhooks.getEndpoint(senderId, endpointId)) ?? endpoint);
}

/** Queues a `webhook.test` event for this endpoint alone. */
export async function pingEndpoint(deps: Deps, senderId: string, endpointId: string): Promise<{ webhookId: string }> {
  const endpoint = await ownEndpoint(deps, senderId, endpointId);
  if (!endpoint.enabled) throw new AppError(409, 'webhook_disabled', 'the endpoint is disabled; enable it first');
  const [webhookId] = await emitEvent(deps.store, senderId, 'webhook.test', { endpointId: endpoint.id }, deps.clock.now(), endpoint.id);
  return { webhookId: webhookId! };
}
