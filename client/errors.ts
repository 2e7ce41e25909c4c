/**
 * The one error of client/: an HTTP status and the server's stable code
 * (`{"error":{"code","message"}}`), or a client-side refusal. Status 0 means no answer
 * (`server_unreachable`); a status ≥ 500 without the server's JSON is
 * `server_unavailable`. No token, link or secret is ever put in an error.
 *
 * @example
 * try { await api.message(messageId) } catch (error) {
 *   if (error instanceof ApiError && error.code === 'message_not_found') …
 * }
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** A refusal made by the client itself (bad input, a store problem): status 400-like, no request made. */
export const clientError = (code: string, message: string) => new ApiError(400, code, message);
