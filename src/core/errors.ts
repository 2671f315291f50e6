/**
 * The one error type of Waymark, with a closed set of codes. The core never
 * mentions HTTP; `http/error-handler.ts` maps each code to a status in one table.
 */
export const ErrorCode = {
  /** Input failed validation (bad JSON shape, bad query parameter, bad flag). */
  InvalidInput: 'invalid_input',
  /** The body was not parseable JSON. */
  MalformedJson: 'malformed_json',
  /** The body is larger than the configured limit. */
  PayloadTooLarge: 'payload_too_large',
  /** The body's content type is not one the route accepts. */
  UnsupportedMediaType: 'unsupported_media_type',
  /** No credentials, or credentials that are not valid for this store. */
  Unauthorized: 'unauthorized',
  /** A webhook signature did not verify. */
  SignatureInvalid: 'signature_invalid',
  /** Authenticated, but the action is not allowed for this principal. */
  Forbidden: 'forbidden',
  /** The thing does not exist, or belongs to another store (never reveal which). */
  NotFound: 'not_found',
  /** The request conflicts with the stored state (duplicate external id, stale write). */
  Conflict: 'conflict',
  /** Too many requests from this client. */
  RateLimited: 'rate_limited',
  /** A state change that the domain rules forbid. */
  InvalidTransition: 'invalid_transition',
  /** The database is unreachable or the schema is not current. */
  NotReady: 'not_ready',
  /** Another process holds the database's write lock (SQLite) for longer than Waymark waits; retry shortly. */
  DatabaseBusy: 'database_busy',
  /** The database's disk or size limit is reached: writes fail until space is freed, reads still work. */
  StorageFull: 'storage_full',
  /** A carrier or platform is unavailable (5xx, timeout, network); the work will be retried. */
  UpstreamUnavailable: 'upstream_unavailable',
  /** A carrier or platform refused our credentials; retrying will not help until they are fixed. */
  UpstreamAuthFailed: 'upstream_auth_failed',
  /** A carrier or platform asked us to slow down; `details.retryAfterMs` says for how long when known. */
  UpstreamRateLimited: 'upstream_rate_limited',
  /** A carrier or platform answered with a body we cannot read (malformed JSON, wrong shape). */
  UpstreamInvalidResponse: 'upstream_invalid_response',
  /** The stored data could not be decrypted with the configured key. */
  SecretKeyMismatch: 'secret_key_mismatch',
  /** Configuration is missing or invalid. */
  ConfigInvalid: 'config_invalid',
  /** Anything unexpected; the message is never shown to clients. */
  Internal: 'internal',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export class DomainError extends Error {
  override readonly name = 'DomainError';
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details;
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
