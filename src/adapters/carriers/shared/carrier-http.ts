import { DomainError, ErrorCode } from '../../../core/errors.js';

export type HttpAnswer = {
  status: number;
  headers: Headers;
  /** The body as text; parse with `parseJsonBody`. */
  text: string;
};

export type HttpRequest = {
  url: string;
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
};

/** Anything that performs an HTTP exchange; `fetch` by default, a stub in unit tests. */
export type HttpExchange = (request: HttpRequest) => Promise<HttpAnswer>;

/**
 * One HTTP exchange with a timeout. Network failures and timeouts become
 * `upstream_unavailable`; the status code is left to the caller to classify.
 */
export const fetchExchange: HttpExchange = async (request) => {
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: request.method ?? 'GET',
      headers: request.headers,
      body: request.body,
      signal: AbortSignal.timeout(request.timeoutMs),
      redirect: 'error',
    });
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    throw new DomainError(
      ErrorCode.UpstreamUnavailable,
      timedOut
        ? `no answer from ${new URL(request.url).host} within ${request.timeoutMs} ms`
        : `cannot reach ${new URL(request.url).host}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw new DomainError(
      ErrorCode.UpstreamUnavailable,
      `connection to ${new URL(request.url).host} broke while reading the answer`,
      { cause: error },
    );
  }
  return { status: response.status, headers: response.headers, text };
};

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, nowMs: number = Date.now()): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

/** Parses a JSON body, or throws `upstream_invalid_response` naming the carrier. */
export function parseJsonBody(carrier: string, answer: Pick<HttpAnswer, 'status' | 'text'>): unknown {
  try {
    return JSON.parse(answer.text);
  } catch (error) {
    throw new DomainError(
      ErrorCode.UpstreamInvalidResponse,
      `${carrier} answered HTTP ${answer.status} with a body that is not JSON`,
      {
        cause: error,
        details: { status: answer.status, bodyStart: answer.text.slice(0, 200) },
      },
    );
  }
}

/**
 * The common classification of a failed exchange: 401/403 → auth, 429 →
 * rate limited (with Retry-After), 5xx and 408 → unavailable. Returns
 * undefined for statuses the carrier client must interpret itself (400, 404).
 */
export function classifyHttpFailure(carrier: string, answer: HttpAnswer): DomainError | undefined {
  const { status } = answer;
  if (status === 401 || status === 403) {
    return new DomainError(ErrorCode.UpstreamAuthFailed, `${carrier} refused the credentials (HTTP ${status})`, {
      details: { status },
    });
  }
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(answer.headers.get('retry-after'));
    return new DomainError(ErrorCode.UpstreamRateLimited, `${carrier} rate limit reached (HTTP 429)`, {
      details: { status, retryAfterMs },
    });
  }
  if (status >= 500 || status === 408) {
    return new DomainError(ErrorCode.UpstreamUnavailable, `${carrier} is unavailable (HTTP ${status})`, {
      details: { status },
    });
  }
  return undefined;
}
