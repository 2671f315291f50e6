import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

import { DomainError, ErrorCode, isDomainError } from '../../../core/errors.js';
import type { HttpAnswer, HttpExchange, HttpRequest } from '../../carriers/shared/carrier-http.js';
import { createGuardedLookup, type EndpointPolicy } from './endpoint-url.js';

export type GuardedExchangeOptions = EndpointPolicy & {
  /**
   * How much of an answer body to keep; the rest is dropped with the
   * connection. Only the status matters for a webhook, and a hostile
   * endpoint could otherwise stream until the timeout.
   */
  maxAnswerBytes?: number;
};

const DEFAULT_MAX_ANSWER_BYTES = 64 * 1024;

/**
 * An {@link HttpExchange} over `node:http(s)` whose sockets only connect to
 * addresses the endpoint policy allows (see `createGuardedLookup`). `fetch`
 * offers no hook into its resolver, which is why webhooks do not use
 * `fetchExchange`. Redirects are never followed (`node:http` has no such
 * feature); the 3xx comes back as an answer. Failures and timeouts become
 * `upstream_unavailable`, a refused address `invalid_input`, as in
 * `fetchExchange`.
 */
export function createGuardedExchange(options: GuardedExchangeOptions = {}): HttpExchange {
  const lookup = createGuardedLookup(options);
  const maxAnswerBytes = options.maxAnswerBytes ?? DEFAULT_MAX_ANSWER_BYTES;
  // Own agents so the guarded lookup cannot hand sockets to, or take them from, other code.
  const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };

  return async (request: HttpRequest): Promise<HttpAnswer> => {
    const url = new URL(request.url);
    const signal = AbortSignal.timeout(request.timeoutMs);
    try {
      const response = await new Promise<IncomingMessage>((resolve, reject) => {
        const isHttps = url.protocol === 'https:';
        const send = isHttps ? httpsRequest : httpRequest;
        const outgoing = send(
          url,
          {
            method: request.method ?? 'GET',
            headers: {
              ...request.headers,
              ...(request.body === undefined ? {} : { 'content-length': String(Buffer.byteLength(request.body)) }),
            },
            agent: isHttps ? agents.https : agents.http,
            lookup,
            signal,
          },
          resolve,
        );
        outgoing.once('error', reject);
        outgoing.end(request.body);
      });
      const text = await readCapped(response, maxAnswerBytes);
      return { status: response.statusCode ?? 0, headers: toHeaders(response), text };
    } catch (error) {
      if (isDomainError(error)) throw error;
      if (signal.aborted) {
        throw new DomainError(
          ErrorCode.UpstreamUnavailable,
          `no answer from ${url.host} within ${request.timeoutMs} ms`,
          { cause: error },
        );
      }
      throw new DomainError(ErrorCode.UpstreamUnavailable, `cannot reach ${url.host}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  };
}

async function readCapped(response: IncomingMessage, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let kept = 0;
  for await (const chunk of response) {
    const buffer = chunk as Buffer;
    chunks.push(buffer.subarray(0, maxBytes - kept));
    kept += Math.min(buffer.length, maxBytes - kept);
    if (kept >= maxBytes) {
      response.destroy();
      break;
    }
  }
  return Buffer.concat(chunks).toString('utf8');
}

function toHeaders(response: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(response.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  return headers;
}
