import { timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import type { Logger } from 'pino';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { hashCapability } from '../http/secrets.js';
import type { DeliveryOutcome } from '../store/types.js';
import { advanceDelivery, type DeliveryStores } from './advance.js';

/**
 * Bounces in: a small SMTP listener (SIGILL_BOUNCE_SMTP_PORT) that takes mail only for
 * the VERP addresses `bounce+<deliveryId>.<token>@<bounce domain>`, reads the DSN
 * (RFC 3464: multipart/report with a message/delivery-status part) and moves that
 * delivery to `failed` (Action failed, or a 5.x.x Status: a `delivery.failed` webhook) or
 * `delayed` (Action delayed).
 * The token is checked against its stored hash, so a forged bounce changes nothing.
 * An operator points the MX (or a transport map) of the bounce domain at it.
 */
export interface DsnReport {
  action: 'failed' | 'delayed' | 'delivered' | 'relayed' | 'expanded';
  /** `5.1.1`, or null when absent. */
  status: string | null;
}

const actions = new Set(['failed', 'delayed', 'delivered', 'relayed', 'expanded']);

/** The first per-recipient block of a message/delivery-status body. */
export function parseDeliveryStatus(body: string): DsnReport | undefined {
  const unfolded = body.replace(/\r\n/g, '\n').replace(/\n[ \t]+/g, ' ');
  for (const block of unfolded.split(/\n\s*\n/)) {
    const fields = new Map<string, string>();
    for (const line of block.split('\n')) {
      const match = /^([A-Za-z-]+):\s*(.*)$/.exec(line);
      if (match) fields.set(match[1]!.toLowerCase(), match[2]!.trim());
    }
    const action = fields.get('action')?.toLowerCase().split(/\s/)[0];
    if (!action || !actions.has(action) || !fields.has('final-recipient')) continue;
    const status = /^[245]\.\d{1,3}\.\d{1,3}/.exec(fields.get('status') ?? '')?.[0] ?? null;
    return { action: action as DsnReport['action'], status };
  }
  return undefined;
}

/** What a DSN does to its delivery, or nothing (delivered / relayed / expanded are not states we show from mail). */
export function outcomeOfDsn(report: DsnReport): DeliveryOutcome | undefined {
  if (report.action === 'failed' || report.status?.startsWith('5.')) return { status: 'failed', reason: 'provider_report', providerError: report.status };
  if (report.action === 'delayed') return { status: 'delayed', reason: null, providerError: report.status };
  return undefined;
}

/** `bounce+<deliveryId>.<token>@<domain>` → its parts, or undefined for any other address. */
export function parseBounceAddress(address: string, bounceDomain: string): { deliveryId: string; token: string } | undefined {
  const match = /^bounce\+([A-Za-z0-9_-]{16,64})\.([A-Za-z0-9_-]{16,128})@(.+)$/.exec(address);
  if (!match || match[3]!.toLowerCase() !== bounceDomain.toLowerCase()) return undefined;
  return { deliveryId: match[1]!, token: match[2]! };
}

export interface BounceDeps {
  store: DeliveryStores;
  bounceDomain: string;
  clock: { now(): number };
  logger: Logger;
}

/** Applies one bounce for one VERP address; 'applied', 'ignored' (not a state change) or 'unknown' (no such delivery or a wrong token). */
export async function applyBounce(deps: BounceDeps, address: string, raw: Buffer): Promise<'applied' | 'ignored' | 'unknown'> {
  const parsedAddress = parseBounceAddress(address, deps.bounceDomain);
  if (!parsedAddress) return 'unknown';
  const target = await deps.store.deliveries.reportTarget(parsedAddress.deliveryId);
  const expected = Buffer.from(target?.reportTokenHash ?? '');
  const given = Buffer.from(hashCapability(parsedAddress.token));
  if (!target || expected.length !== given.length || !timingSafeEqual(expected, given)) return 'unknown';
  const mail = await simpleParser(raw, { skipHtmlToText: true, skipTextLinks: true });
  // mailparser folds message/delivery-status into .text, or keeps it as an attachment.
  const statusPart = mail.attachments.find((part) => part.contentType === 'message/delivery-status');
  const report = parseDeliveryStatus(statusPart ? statusPart.content.toString('utf8') : (mail.text ?? ''));
  const outcome = report && outcomeOfDsn(report);
  if (!outcome) return 'ignored';
  const moved = await advanceDelivery(deps.store, target, outcome, deps.clock.now());
  deps.logger.info({ event: 'email_bounce', deliveryId: parsedAddress.deliveryId, status: outcome.status, moved }, 'email bounce received');
  return moved ? 'applied' : 'ignored';
}

export interface BounceListener {
  port: number;
  close(): Promise<void>;
}

const maxBounceBytes = 1024 * 1024;

/** Starts the bounce listener; `tls` (key and cert PEM) offers STARTTLS to the MTA in front. */
export async function startBounceListener(
  deps: BounceDeps,
  { host = '127.0.0.1', port = 0, tls }: { host?: string; port?: number; tls?: { key: string; cert: string } } = {},
): Promise<BounceListener> {
  const options: SMTPServerOptions = {
    authOptional: true,
    disabledCommands: tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
    ...(tls ? { key: tls.key, cert: tls.cert } : {}),
    size: maxBounceBytes,
    banner: 'Sigill bounces',
    logger: false,
    onRcptTo(address, _session, callback) {
      if (!parseBounceAddress(address.address, deps.bounceDomain)) {
        return callback(Object.assign(new Error('5.1.1 only bounces are accepted here'), { responseCode: 550 }));
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= maxBounceBytes) chunks.push(chunk);
      });
      stream.on('error', () => callback(new Error('4.3.0 the message could not be read')));
      stream.on('end', () => {
        if (size > maxBounceBytes) return callback(Object.assign(new Error('5.3.4 too big for a bounce'), { responseCode: 552 }));
        const raw = Buffer.concat(chunks);
        Promise.all(session.envelope.rcptTo.map((rcpt) => applyBounce(deps, rcpt.address, raw)))
          .then(() => callback())
          .catch((error: unknown) => {
            deps.logger.warn({ event: 'email_bounce_failed', error: error instanceof Error ? error.name : 'error' }, 'a bounce could not be applied');
            callback(Object.assign(new Error('4.3.0 try again later'), { responseCode: 451 }));
          });
      });
    },
  };
  const server = new SMTPServer(options);
  server.on('error', (error) => deps.logger.warn({ event: 'bounce_listener_error', error: error.name }, 'bounce listener error'));
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
