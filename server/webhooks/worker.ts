import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { AppDeps } from '../deps.js';
import type { ClaimedWebhookJob } from '../store/webhook-types.js';
import { onWebhookQueued } from './events.js';
import { openSecrets, signingSecrets, webhookKey } from './secrets.js';
import { postTo, sendTimeoutMs, type SendOutcome } from './send.js';
import { webhookHeaders } from './signing.js';
import { resolveTarget, TargetError } from './targets.js';

/**
 * The outbox worker: claims due jobs under a lease, signs and posts each, and records
 * the outcome. Any number of processes may run it on one database: a job is leased to
 * one at a time (the store's conditional claim), and one that dies mid-delivery leaves a
 * lease that ends, so another delivers the job (at least once). Retries follow the
 * Standard Webhooks schedule; the attempt that ends it (or a 410) disables the endpoint.
 */
export const retryScheduleMs = [0, 5_000, 5 * 60_000, 30 * 60_000, 2 * 3600_000, 5 * 3600_000, 10 * 3600_000, 10 * 3600_000] as const;

/** Longer than a delivery can take (resolution and the send timeout). */
export const leaseMs = sendTimeoutMs + 45_000;

export type WorkerDeps = Pick<AppDeps, 'store' | 'config' | 'clock' | 'logger'>;

export const newLeaseOwner = () => `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;

/** Claims and delivers the jobs due now (up to `limit`); returns how many it claimed. */
export async function deliverDue(deps: WorkerDeps, owner: string, limit = 20): Promise<number> {
  const now = deps.clock.now();
  const jobs = await deps.store.webhooks.claim(owner, now, now + leaseMs, limit);
  await Promise.all(jobs.map((job) => deliverJob(deps, owner, job)));
  return jobs.length;
}

async function deliverJob({ store, config, clock, logger }: WorkerDeps, owner: string, job: ClaimedWebhookJob): Promise<void> {
  let outcome: SendOutcome | { failure: string };
  try {
    const target = await resolveTarget(job.url, config.webhooksAllowLoopback);
    const now = clock.now();
    const secrets = signingSecrets(openSecrets(webhookKey(config), job.endpointId, job.sealedSecrets), now).map((entry) => entry.secret);
    outcome = await postTo(target, webhookHeaders(job.id, Math.floor(now / 1000), job.body, secrets), job.body);
  } catch (error) {
    outcome = { failure: error instanceof TargetError ? error.code : 'signing_failed' };
  }
  const now = clock.now();
  if ('status' in outcome && outcome.status >= 200 && outcome.status < 300) {
    await store.webhooks.delivered(job.id, owner, now);
    return;
  }
  const failure = 'status' in outcome ? `http_${outcome.status}` : outcome.failure;
  const delay = 'status' in outcome && outcome.status === 410 ? undefined : retryScheduleMs[job.attempts + 1];
  const retryAfter = 'status' in outcome ? (outcome.retryAfterMs ?? 0) : 0;
  const next = delay === undefined ? null : now + Math.max(delay, Math.min(retryAfter, 24 * 3600_000));
  await store.webhooks.failed(job.id, owner, failure, now, next);
  logger.info({ event: next === null ? 'webhook_gave_up' : 'webhook_retry', failure, attempt: job.attempts + 1 }, next === null ? 'webhook endpoint disabled' : 'webhook delivery failed; will retry');
}

export interface WebhookWorker {
  stop(): Promise<void>;
}

/**
 * Runs the worker in this process: every `config.webhooksPollMs`, at once after a job is
 * queued here, and again at once while it finds work.
 */
export function startWebhookWorker(deps: WorkerDeps): WebhookWorker {
  const owner = newLeaseOwner();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  const run = () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    clearTimeout(timer);
    running = (async () => {
      do {
        again = false;
        try {
          if ((await deliverDue(deps, owner)) > 0) again = true;
        } catch (error) {
          deps.logger.warn({ event: 'webhook_worker_failed', errorName: (error as Error).name }, 'webhook worker pass failed');
        }
      } while (again && !stopped);
    })().finally(() => {
      running = undefined;
      if (!stopped) timer = setTimeout(run, deps.config.webhooksPollMs);
    });
  };
  const unsubscribe = onWebhookQueued(run);
  timer = setTimeout(run, 0);
  return {
    async stop() {
      stopped = true;
      unsubscribe();
      clearTimeout(timer);
      await running;
    },
  };
}
