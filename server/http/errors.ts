import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { HTTPException } from 'hono/http-exception';
import type { Logger } from 'pino';
import { FormatError } from '../../shared/errors.js';
import { BankIdError } from '../bankid/index.js';
import { AppError } from '../errors.js';
import { StoreError, type StoreErrorCode } from '../store/errors.js';

/**
 * Store errors as the API answers them; a payload longer than declared is
 * `payload_too_large`, one shorter is `payload_length_mismatch`.
 */
const storeErrors: Record<StoreErrorCode, { status: ContentfulStatusCode; code: string }> = {
  payload_exists: { status: 409, code: 'payload_exists' },
  payload_too_long: { status: 413, code: 'payload_too_large' },
  length_mismatch: { status: 400, code: 'payload_length_mismatch' },
  not_found: { status: 404, code: 'payload_not_found' },
  message_exists: { status: 409, code: 'message_exists' },
  link_exists: { status: 409, code: 'link_exists' },
  conflict: { status: 409, code: 'conflict' },
  user_exists: { status: 409, code: 'user_exists' },
  passkey_exists: { status: 409, code: 'passkey_exists' },
  aborted: { status: 400, code: 'request_aborted' },
  unavailable: { status: 503, code: 'store_unavailable' },
};

/**
 * BankID errors caused by what the caller sent (refused before sending, or BankID's 400
 * invalidParameters): a 400 `bankid_request_invalid` or `bankid_invalid_parameters`.
 * Every other BankID failure means BankID is down or unreachable: 503.
 */
const callersFault = new Set<BankIdError['code']>(['request_invalid', 'invalid_parameters']);

/** The one place errors become responses: `{"error":{"code","message"}}`. */
export function errorHandler(logger: Logger) {
  return (error: Error, c: Context) => {
    const requestId = c.get('requestId') as string | undefined;
    if (error instanceof AppError) return c.json({ error: { code: error.code, message: error.message } }, error.status);
    if (error instanceof StoreError) {
      const { status, code } = storeErrors[error.code];
      if (status !== 503) return c.json({ error: { code, message: error.message } }, status);
      // An unreachable store's own message may name hosts or settings: say only what to do.
      logger.error({ requestId, event: 'store_unavailable' }, 'store unavailable');
      return c.json({ error: { code, message: 'storage cannot be reached right now; try again in a minute' } }, status);
    }
    if (error instanceof FormatError) return c.json({ error: { code: error.code, message: error.message } }, 400);
    if (error instanceof HTTPException) {
      const code = error.status === 400 ? 'invalid_json' : error.status === 413 ? 'body_too_large' : 'bad_request';
      const message = error.status === 400 ? 'the request body is not valid JSON' : error.message;
      return c.json({ error: { code, message } }, error.status);
    }
    if (error instanceof BankIdError && callersFault.has(error.code)) {
      logger.info({ requestId, event: 'bankid_refused', code: error.code, httpStatus: error.httpStatus }, 'BankID refused the request');
      return c.json({ error: { code: `bankid_${error.code}`, message: 'BankID refused this request as invalid; check what was entered and try again' } }, 400);
    }
    if (error instanceof BankIdError) {
      logger.warn({ requestId, event: 'bankid_error', code: error.code, httpStatus: error.httpStatus }, 'BankID call failed');
      return c.json({ error: { code: 'bankid_unavailable', message: 'BankID cannot be reached right now; try again in a minute' } }, 503);
    }
    logger.error({ requestId, event: 'internal_error', errorName: error.name, stack: error.stack?.split('\n').slice(1, 6).join('\n') }, 'unexpected error');
    return c.json({ error: { code: 'internal_error', message: `something went wrong on our side (request ${requestId ?? '?'})` } }, 500);
  };
}
