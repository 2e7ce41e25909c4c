import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Logger } from 'pino';
import { FormatError } from '../../shared/errors.js';
import { BankIdError } from '../bankid/index.js';
import { AppError } from '../errors.js';

/** The one place errors become responses: `{"error":{"code","message"}}`. */
export function errorHandler(logger: Logger) {
  return (error: Error, c: Context) => {
    const requestId = c.get('requestId') as string | undefined;
    if (error instanceof AppError) return c.json({ error: { code: error.code, message: error.message } }, error.status);
    if (error instanceof FormatError) return c.json({ error: { code: error.code, message: error.message } }, 400);
    if (error instanceof HTTPException) {
      const code = error.status === 400 ? 'invalid_json' : error.status === 413 ? 'body_too_large' : 'bad_request';
      const message = error.status === 400 ? 'the request body is not valid JSON' : error.message;
      return c.json({ error: { code, message } }, error.status);
    }
    if (error instanceof BankIdError) {
      logger.warn({ requestId, event: 'bankid_error', code: error.code, httpStatus: error.httpStatus }, 'BankID call failed');
      return c.json({ error: { code: 'bankid_unavailable', message: 'BankID cannot be reached right now; try again in a minute' } }, 503);
    }
    logger.error({ requestId, event: 'internal_error', errorName: error.name, stack: error.stack?.split('\n').slice(1, 6).join('\n') }, 'unexpected error');
    return c.json({ error: { code: 'internal_error', message: `something went wrong on our side (request ${requestId ?? '?'})` } }, 500);
  };
}
