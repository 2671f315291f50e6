import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';

import { DomainError, ErrorCode, isDomainError } from '../core/errors.js';

/** The one table from error code to HTTP status. */
export const HTTP_STATUS_FOR_CODE: Readonly<Record<ErrorCode, number>> = {
  invalid_input: 400,
  malformed_json: 400,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unauthorized: 401,
  signature_invalid: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  invalid_transition: 409,
  not_ready: 503,
  database_busy: 503,
  storage_full: 507,
  upstream_unavailable: 503,
  upstream_auth_failed: 502,
  upstream_rate_limited: 503,
  upstream_invalid_response: 502,
  secret_key_mismatch: 500,
  config_invalid: 500,
  internal: 500,
};

export type ErrorEnvelope = { error: { code: ErrorCode; message: string; details?: unknown } };

/** Fastify's own errors for bad input, translated to our codes. */
function translateFrameworkError(error: FastifyError): DomainError | undefined {
  if (hasZodFastifySchemaValidationErrors(error)) {
    const issues = error.validation.map((issue) => ({
      path: [error.validationContext, ...issue.instancePath.split('/').filter(Boolean)].filter(Boolean).join('.'),
      message: issue.message,
    }));
    const first = issues[0];
    return new DomainError(
      ErrorCode.InvalidInput,
      first ? `${first.path || 'request'}: ${first.message}` : 'invalid request',
      {
        details: { issues },
      },
    );
  }
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new DomainError(
        ErrorCode.MalformedJson,
        error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ? 'body is empty but declared as JSON' : 'body is not valid JSON',
      );
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new DomainError(ErrorCode.PayloadTooLarge, 'request body is larger than this server accepts');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new DomainError(ErrorCode.UnsupportedMediaType, 'content type not supported here; send application/json');
    default:
      break;
  }
  if (error instanceof SyntaxError && error.statusCode === 400)
    return new DomainError(ErrorCode.MalformedJson, 'body is not valid JSON');
  if (error.statusCode === 429) return new DomainError(ErrorCode.RateLimited, error.message || 'too many requests');
  if (error.statusCode === 413)
    return new DomainError(ErrorCode.PayloadTooLarge, 'request body is larger than this server accepts');
  if (error.statusCode === 415) return new DomainError(ErrorCode.UnsupportedMediaType, error.message);
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    return new DomainError(ErrorCode.InvalidInput, error.message);
  }
  return undefined;
}

export function toErrorEnvelope(error: DomainError): ErrorEnvelope {
  return { error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } };
}

/**
 * Known errors answer with their code's status and message. Anything else is
 * a 500 whose message stays in the log, never in the response.
 */
/** The status `handleError` answers with, for handlers that answer in HTML instead (customer pages). */
export function statusOfError(error: FastifyError): number {
  const known = isDomainError(error) ? error : translateFrameworkError(error);
  return known ? HTTP_STATUS_FOR_CODE[known.code] : 500;
}

export function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const known = isDomainError(error) ? error : translateFrameworkError(error);
  if (known) {
    const status = HTTP_STATUS_FOR_CODE[known.code];
    if (status >= 500) request.log.error({ err: error }, known.message);
    else request.log.info({ code: known.code, status }, known.message);
    void reply.status(status).send(toErrorEnvelope(known));
    return;
  }
  request.log.error({ err: error }, 'unhandled error');
  void reply
    .status(500)
    .send(
      toErrorEnvelope(
        new DomainError(ErrorCode.Internal, 'internal error; the request id is in the x-request-id header'),
      ),
    );
}

export function handleNotFound(request: FastifyRequest, reply: FastifyReply): void {
  void reply
    .status(404)
    .send(
      toErrorEnvelope(
        new DomainError(ErrorCode.NotFound, `no route for ${request.method} ${request.url.split('?')[0] ?? ''}`),
      ),
    );
}
