import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * The server's typed error: an HTTP status and a stable snake_case code. One place,
 * `app.onError`, turns it into `{"error":{"code","message"}}`. Messages never hold a
 * secret, a token, a personal identity number or a BankID orderRef.
 */
export class AppError extends Error {
  override readonly name = 'AppError';
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    /** Headers the answer carries beside the error (a 416 names the payload's length in Content-Range). */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export const notFound = (code: string, message: string) => new AppError(404, code, message);
export const gone = (code: string, message: string) => new AppError(410, code, message);
export const badRequest = (code: string, message: string) => new AppError(400, code, message);
