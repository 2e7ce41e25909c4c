/**
 * The BankID RP API v6.0 client. Requests are checked against BankID's rules before sending;
 * answers are read into typed values; failures are `BankIdError`s. A 503 maintenance answer is
 * retried (BankID allows a silent retry); nothing else is.
 *
 * @example
 * const client = createBankIdClient({ baseUrl: bankIdBaseUrls.test, pfx, passphrase, ca });
 * const order = await client.auth({ endUserIp: '192.0.2.1' });
 * const state = await client.collect(order.orderRef);
 */
import { BankIdError, type BankIdErrorCode } from './errors.js';
import { checkOrderRefRequest, checkOrderRequest } from './request-fields.js';
import { readCollectResponse, readOrderResponse, readPhoneOrderResponse } from './responses.js';
import { createTransport, type Transport } from './transport.js';
import type {
  AuthRequest,
  BankIdPath,
  CollectResponse,
  OrderPath,
  OrderResponse,
  PhoneAuthRequest,
  PhoneOrderResponse,
  PhoneSignRequest,
  SignRequest,
} from './types.js';

export const bankIdBaseUrls = {
  production: 'https://appapi2.bankid.com/rp/v6.0/',
  test: 'https://appapi2.test.bankid.com/rp/v6.0/',
} as const;

/** What the client reports per HTTP attempt: no bodies, no identifiers. */
export interface BankIdCallEvent {
  path: BankIdPath;
  attempt: number;
  outcome: 'ok' | BankIdErrorCode;
  httpStatus: number | undefined;
  durationMs: number;
}

export interface BankIdClientOptions {
  /** `bankIdBaseUrls.test`, `bankIdBaseUrls.production` or the simulator's `url`. */
  baseUrl: string;
  /** The RP certificate as PKCS#12. */
  pfx: Uint8Array;
  passphrase: string;
  /** The only CA trusted for the server: BankID's SSL root, or the simulator's CA (PEM). */
  ca: string | string[];
  /** Per attempt; default 10 000. */
  timeoutMs?: number;
  /** Extra attempts after 503 maintenance; default 2. */
  maintenanceRetries?: number;
  /** Wait before retrying after 503; default 1 000. */
  retryDelayMs?: number;
  onCall?: (event: BankIdCallEvent) => void;
}

export interface BankIdClient {
  auth(request: AuthRequest): Promise<OrderResponse>;
  sign(request: SignRequest): Promise<OrderResponse>;
  phoneAuth(request: PhoneAuthRequest): Promise<PhoneOrderResponse>;
  phoneSign(request: PhoneSignRequest): Promise<PhoneOrderResponse>;
  collect(orderRef: string): Promise<CollectResponse>;
  /** Cancels a pending order; BankID answers `{}`. */
  cancel(orderRef: string): Promise<void>;
  /** Closes the keep-alive sockets. */
  close(): void;
}

export function createBankIdClient(options: BankIdClientOptions): BankIdClient {
  const transport: Transport = createTransport({
    baseUrl: options.baseUrl,
    pfx: options.pfx,
    passphrase: options.passphrase,
    ca: options.ca,
    timeoutMs: options.timeoutMs ?? 10_000,
  });
  const maintenanceRetries = options.maintenanceRetries ?? 2;
  const retryDelayMs = options.retryDelayMs ?? 1_000;

  async function call(path: BankIdPath, body: unknown): Promise<unknown> {
    for (let attempt = 1; ; attempt += 1) {
      const started = performance.now();
      try {
        const answer = await transport.post(path, body);
        report(path, attempt, 'ok', 200, started);
        return answer;
      } catch (error) {
        const failure = error instanceof BankIdError ? error : new BankIdError('network_error', `BankID ${path} failed`, { cause: error });
        report(path, attempt, failure.code, failure.httpStatus, started);
        if (!failure.retryable || attempt > maintenanceRetries) throw failure;
        await new Promise((resolve) => setTimeout(resolve, retryDelayMs));
      }
    }
  }

  function report(path: BankIdPath, attempt: number, outcome: BankIdCallEvent['outcome'], httpStatus: number | undefined, started: number): void {
    options.onCall?.({ path, attempt, outcome, httpStatus, durationMs: Math.round(performance.now() - started) });
  }

  function checked<T>(path: OrderPath, request: T): T {
    const result = checkOrderRequest<T>(path, request);
    if (!result.ok) throw new BankIdError('request_invalid', `BankID ${path} request refused before sending: ${result.problems.join('; ')}`);
    return result.value;
  }

  function orderRefBody(path: BankIdPath, orderRef: string): { orderRef: string } {
    const result = checkOrderRefRequest({ orderRef });
    if (!result.ok) throw new BankIdError('request_invalid', `BankID ${path} request refused before sending: ${result.problems.join('; ')}`);
    return result.value;
  }

  return {
    auth: async (request) => readOrderResponse(await call('auth', checked('auth', request))),
    sign: async (request) => readOrderResponse(await call('sign', checked('sign', request))),
    phoneAuth: async (request) => readPhoneOrderResponse(await call('phone/auth', checked('phone/auth', request))),
    phoneSign: async (request) => readPhoneOrderResponse(await call('phone/sign', checked('phone/sign', request))),
    collect: async (orderRef) => readCollectResponse(await call('collect', orderRefBody('collect', orderRef))),
    async cancel(orderRef) {
      await call('cancel', orderRefBody('cancel', orderRef));
    },
    close: () => transport.close(),
  };
}
