/**
 * The CLI's own refusals. Every error the CLI prints carries a stable snake_case code
 * (its own, the server's through client/'s ApiError, or shared/'s FormatError) and maps
 * to an exit code: 0 success, 1 failure, 2 usage. No token, link, phone number, email
 * address or personal identity number is ever put into a message here.
 *
 * @example
 * throw new UsageError('option_unknown', 'unknown option --tokn');
 * throw new CliError('not_signed_in', 'sign in first: sigill login --server URL');
 */
export const exitCodes = { success: 0, failure: 1, usage: 2 } as const;

export class CliError extends Error {
  override readonly name: string = 'CliError';
  readonly exitCode: number = exitCodes.failure;
  constructor(
    readonly code: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The command line itself is wrong: exit code 2. */
export class UsageError extends CliError {
  override readonly name = 'UsageError';
  override readonly exitCode = exitCodes.usage;
}
