import { OpenAPIHono } from '@hono/zod-openapi';
import type { Env } from 'hono';
import { AppError } from '../errors.js';

/**
 * A sub-app whose routes are validated by their schemas and described in the OpenAPI
 * document. A body or parameter that fails its schema becomes a 400 `invalid_request`
 * naming the field, through the one error handler.
 */
export function newApi<E extends Env = Env>(): OpenAPIHono<E> {
  return new OpenAPIHono<E>({
    defaultHook: (result) => {
      if (!result.success) {
        const issue = result.error.issues[0];
        const where = issue?.path.length ? issue.path.join('.') : 'request';
        throw new AppError(400, 'invalid_request', `${where}: ${issue?.message ?? 'invalid'}`);
      }
    },
  });
}
