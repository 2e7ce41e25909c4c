/**
 * Errors the test app asks the RP API to answer with on its next calls, e.g. 503 maintenance.
 */
import { RpApiError } from './errors.js';

export type InjectableStatus = RpApiError['httpStatus'];

export interface InjectedFailure {
  httpStatus: InjectableStatus;
  /** Default: BankID's errorCode for the status (400 → invalidParameters, 503 → maintenance, …). */
  errorCode?: string;
  details?: string;
  /** How many calls in a row fail; default 1. */
  times?: number;
}

export const defaultErrorCodes: Record<InjectableStatus, string> = {
  400: 'invalidParameters',
  401: 'unauthorized',
  403: 'unauthorized',
  404: 'notFound',
  405: 'methodNotAllowed',
  408: 'requestTimeout',
  415: 'unsupportedMediaType',
  429: 'tooManyRequests',
  500: 'internalError',
  503: 'maintenance',
};

export class InjectedFailures {
  private readonly queue: RpApiError[] = [];

  add({ httpStatus, errorCode, details, times = 1 }: InjectedFailure): void {
    if (!(httpStatus in defaultErrorCodes)) throw new RangeError(`cannot inject HTTP ${httpStatus}`);
    const error = new RpApiError(httpStatus, errorCode ?? defaultErrorCodes[httpStatus], details ?? 'Injected by the test app');
    for (let index = 0; index < times; index += 1) this.queue.push(error);
  }

  /** The next injected failure, if any, removed from the queue. */
  take(): RpApiError | undefined {
    return this.queue.shift();
  }

  clear(): void {
    this.queue.length = 0;
  }
}
