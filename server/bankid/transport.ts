/**
 * POSTs JSON to the RP API over HTTPS with mutual TLS: the RP certificate from a PKCS#12 file,
 * trusting only the configured CA. `Content-Type` is exactly `application/json`. Keep-alive
 * sockets are reused; each call has an overall timeout.
 */
import { Agent, request } from 'node:https';
import { BankIdError, codeForHttpError } from './errors.js';
import { readPkcs12, type RpCredentials } from './pkcs12.js';
import type { BankIdPath } from './types.js';

export interface TransportOptions {
  /** e.g. `https://appapi2.test.bankid.com/rp/v6.0/`. */
  baseUrl: string;
  /** The RP certificate and key as PKCS#12. */
  pfx: Uint8Array;
  passphrase: string;
  /** The only CA trusted for BankID's server certificate (PEM). */
  ca: string | string[];
  timeoutMs: number;
}

export interface Transport {
  post(path: BankIdPath, body: unknown): Promise<unknown>;
  close(): void;
}

const maxResponseBytes = 1_000_000;

export function createTransport(options: TransportOptions): Transport {
  const baseUrl = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
  if (baseUrl.protocol !== 'https:') throw new BankIdError('request_invalid', 'the BankID base URL must be https');
  let credentials: RpCredentials;
  try {
    credentials = readPkcs12(options.pfx, options.passphrase);
  } catch {
    // The cause is dropped on purpose: parser errors may quote bytes of the bundle.
    throw new BankIdError('client_certificate_invalid', 'the RP certificate (PKCS#12) could not be read: wrong passphrase, no RSA key, or not PKCS#12');
  }
  // Only `ca` is trusted; see pkcs12.ts for why the bundle is not passed as `pfx`.
  const agent = new Agent({
    key: credentials.keyPem,
    cert: credentials.certificateChainPem,
    ca: options.ca,
    keepAlive: true,
    minVersion: 'TLSv1.2',
  });

  function post(path: BankIdPath, body: unknown): Promise<unknown> {
    const payload = Buffer.from(JSON.stringify(body), 'utf8');
    return new Promise((resolve, reject) => {
      let timedOut = false;
      const outgoing = request(new URL(path, baseUrl), {
        method: 'POST',
        agent,
        headers: { 'Content-Type': 'application/json', 'Content-Length': payload.length, Accept: 'application/json' },
      });
      const timer = setTimeout(() => {
        timedOut = true;
        outgoing.destroy();
      }, options.timeoutMs);
      outgoing.on('error', (cause: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(transportError(path, timedOut, cause));
      });
      outgoing.on('response', (incoming) => {
        const chunks: Buffer[] = [];
        let size = 0;
        incoming.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxResponseBytes) outgoing.destroy();
          else chunks.push(chunk);
        });
        incoming.on('error', () => undefined); // reported through the request's 'error'
        incoming.on('end', () => {
          clearTimeout(timer);
          try {
            resolve(readAnswer(path, incoming.statusCode ?? 0, Buffer.concat(chunks).toString('utf8')));
          } catch (error) {
            reject(error);
          }
        });
      });
      outgoing.end(payload);
    });
  }

  return { post, close: () => agent.destroy() };
}

function readAnswer(path: BankIdPath, httpStatus: number, text: string): unknown {
  let body: unknown;
  try {
    body = text.length === 0 ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (httpStatus === 200) {
    if (body === undefined) throw new BankIdError('response_invalid', `BankID ${path} answered 200 without JSON`, { httpStatus });
    return body;
  }
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const errorCode = typeof fields.errorCode === 'string' ? fields.errorCode : undefined;
  const details = typeof fields.details === 'string' ? fields.details : undefined;
  const code = codeForHttpError(httpStatus, errorCode);
  return failWith(code, `BankID ${path} answered HTTP ${httpStatus} ${errorCode ?? '(no errorCode)'}`, {
    httpStatus,
    errorCode,
    details,
  });
}

function failWith(...args: ConstructorParameters<typeof BankIdError>): never {
  throw new BankIdError(...args);
}

const tlsErrorCode = /^(ERR_SSL|ERR_TLS|CERT_|UNABLE_TO|SELF_SIGNED|DEPTH_ZERO|ERR_OSSL|HOSTNAME_MISMATCH|ERR_CERT)/;

function transportError(path: BankIdPath, timedOut: boolean, cause: NodeJS.ErrnoException): BankIdError {
  if (cause instanceof BankIdError) return cause;
  if (timedOut) return new BankIdError('timeout', `BankID ${path} did not answer in time`, { cause });
  const systemCode = typeof cause.code === 'string' ? cause.code : 'unknown';
  if (tlsErrorCode.test(systemCode)) {
    return new BankIdError('tls_error', `BankID ${path}: TLS failed (${systemCode})`, { cause });
  }
  return new BankIdError('network_error', `BankID ${path}: connection failed (${systemCode})`, { cause });
}
