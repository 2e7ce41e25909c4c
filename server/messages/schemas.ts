import { errorSchema } from '../../shared/api/common.js';

/**
 * The server's side of the API contract. Every request and response shape is defined
 * once, as zod schemas in shared/api/; the routes validate with them and the OpenAPI
 * document is generated from them. Here: the error responses every route names, each
 * with the one error schema.
 */
const errorContent = { 'application/json': { schema: errorSchema } } as const;

export const errorResponse = (description: string) => ({ description, content: errorContent });

export const errorResponses = {
  400: errorResponse('Bad input (invalid_request, or a more precise code)'),
  401: errorResponse('No or bad token'),
  403: errorResponse('Refused'),
  404: errorResponse('Not found (or not this sender’s)'),
  409: errorResponse('Conflict with the current state'),
  410: errorResponse('Gone: link_expired, link_revoked or link_exhausted'),
  413: errorResponse('Too large'),
  429: errorResponse('too_many_attempts: wait and try again'),
  502: errorResponse('An upstream service (the SMS transport) failed'),
  503: errorResponse('bankid_unavailable: BankID cannot be reached right now'),
} as const;
