import { createHash, randomBytes } from 'node:crypto';

import { Webhook } from 'standardwebhooks';

import { DomainError, ErrorCode, isDomainError } from '../../../core/errors.js';
import type { OutgoingWebhook, WebhookSender } from '../../../core/ports/notifier.port.js';
import { parseRetryAfter, type HttpAnswer, type HttpExchange } from '../../carriers/shared/carrier-http.js';
import { parseEndpointUrl, resolveAllowedAddresses, type HostResolver } from './endpoint-url.js';
import { createGuardedExchange } from './guarded-exchange.js';

/** The Standard Webhooks recommendation for how long a consumer may take to acknowledge (15–30 s). */
export const WEBHOOK_DEFAULT_TIMEOUT_MS = 15_000;

export const WEBHOOK_DEFAULT_USER_AGENT = 'Waymark-Webhooks/1.0';

const SECRET_PREFIX = 'whsec_';

/** The spec asks for at least 24 random bytes (192 bits) for a symmetric secret. */
const SECRET_BYTES = 24;

export type StandardWebhookSenderOptions = {
  /**
   * Default: the guarded `node:http(s)` exchange, whose sockets only connect
   * to allowed addresses. Any other exchange (a stub, `fetchExchange`) keeps
   * the send-time address check but not the per-socket one.
   */
  exchange?: HttpExchange;
  /** Default {@link WEBHOOK_DEFAULT_TIMEOUT_MS}. */
  timeoutMs?: number;
  /** Local testing only: allow http and private, loopback and link-local destinations. */
  allowPrivateNetworks?: boolean;
  /** Default {@link WEBHOOK_DEFAULT_USER_AGENT}. */
  userAgent?: string;
  /** Milliseconds since the epoch; becomes `webhook-timestamp`. */
  now?: () => number;
  /** How endpoint host names resolve; default the system resolver. Tests pass a table. */
  resolveHost?: HostResolver;
};

/**
 * A fresh Standard Webhooks signing secret for a new endpoint:
 * `whsec_` and the base64 of 24 random bytes.
 */
export function generateWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(SECRET_BYTES).toString('base64')}`;
}

/**
 * A `webhook-id` derived from an outbox idempotency key: stable for every
 * retry and replay of the message, free of the `.` the spec forbids in ids
 * (the signed content is `id.timestamp.body`), and not leaking store or
 * order identifiers to the endpoint.
 */
export function webhookMessageIdFor(idempotencyKey: string): string {
  return `msg_${createHash('sha256').update(idempotencyKey).digest('base64url').slice(0, 32)}`;
}

/** Visible ASCII without `.`: safe as a header value and unambiguous in the signed content. */
const MESSAGE_ID = /^[\x21-\x2d\x2f-\x7e]{1,256}$/;

/** Hierarchical, full-stop delimited identifiers, as the spec recommends for event types. */
const EVENT_TYPE = /^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$/;

function invalidMessage(field: string, message: string, cause?: unknown): DomainError {
  return new DomainError(ErrorCode.InvalidInput, message, {
    details: { field },
    ...(cause === undefined ? {} : { cause }),
  });
}

function signerFor(secret: string): Webhook {
  if (!secret.startsWith(SECRET_PREFIX)) {
    throw invalidMessage('secret', `webhook secret must be a Standard Webhooks secret (${SECRET_PREFIX}…)`);
  }
  try {
    return new Webhook(secret);
  } catch (error) {
    // The library's own message may quote the secret's characters; never repeat it.
    throw invalidMessage('secret', 'webhook secret is not valid base64 key material', error);
  }
}

function checkMessage(message: OutgoingWebhook): void {
  if (!MESSAGE_ID.test(message.messageId)) {
    throw invalidMessage('messageId', 'webhook message id must be 1–256 visible ASCII characters without "."');
  }
  if (!EVENT_TYPE.test(message.type)) {
    throw invalidMessage('type', `webhook event type ${JSON.stringify(message.type)} is not like "shipment.delivered"`);
  }
  if (Number.isNaN(Date.parse(message.occurredAt))) {
    throw invalidMessage('occurredAt', `webhook occurredAt ${JSON.stringify(message.occurredAt)} is not a date`);
  }
}

/**
 * What an endpoint's answer means, per the Standard Webhooks status code
 * handling: 2xx delivered; 410 Gone means "stop sending", so the endpoint is
 * disabled rather than retried; 429 asks to throttle; everything else, 3xx
 * (redirects are not followed: the merchant updates the URL) and all other
 * 4xx included, is a failed attempt to retry on the backoff schedule, which
 * is also how a merchant recovers from a 401/404 after fixing their side.
 * None of them is `upstream_auth_failed`: Waymark holds no credential the
 * endpoint could refuse, only the signature it cannot get wrong.
 */
function classifyAnswer(host: string, answer: HttpAnswer, nowMs: number): { status: number } {
  const { status } = answer;
  if (status >= 200 && status <= 299) return { status };
  if (status === 410) {
    throw new DomainError(ErrorCode.InvalidInput, `webhook endpoint ${host} is gone (HTTP 410); disable it`, {
      details: { status, endpointGone: true },
    });
  }
  const retryAfterMs = parseRetryAfter(answer.headers.get('retry-after'), nowMs);
  if (status === 429) {
    throw new DomainError(ErrorCode.UpstreamRateLimited, `webhook endpoint ${host} asked to slow down (HTTP 429)`, {
      details: { status, retryAfterMs },
    });
  }
  if (status >= 300 && status <= 399) {
    throw new DomainError(
      ErrorCode.UpstreamUnavailable,
      `webhook endpoint ${host} redirected (HTTP ${status}); redirects are not followed, update the endpoint URL`,
      { details: { status, location: answer.headers.get('location') } },
    );
  }
  throw new DomainError(ErrorCode.UpstreamUnavailable, `webhook endpoint ${host} answered HTTP ${status}`, {
    details: { status, retryAfterMs, bodyStart: answer.text.slice(0, 200) },
  });
}

/**
 * Merchant webhooks per Standard Webhooks: a JSON body
 * `{ type, timestamp: occurredAt, data }` POSTed with `webhook-id` (the
 * message id, the same on every retry), `webhook-timestamp` (the sending
 * time, in seconds) and `webhook-signature` (`v1,` HMAC-SHA256 of
 * `id.timestamp.body`, base64). The endpoint's addresses are checked again
 * on every send: a name that was public at registration may not be now.
 *
 * Errors (DomainError): `invalid_input` for a refused or malformed endpoint,
 * a bad secret or message, and 410 Gone (`details.endpointGone`);
 * `upstream_rate_limited` for 429 (`details.retryAfterMs`);
 * `upstream_unavailable` for every other non-2xx (`details.status`, and
 * `details.retryAfterMs` when the endpoint sent Retry-After), timeouts,
 * refused or broken connections and DNS failures.
 */
export function createStandardWebhookSender(options: StandardWebhookSenderOptions = {}): WebhookSender {
  const policy = {
    allowPrivateNetworks: options.allowPrivateNetworks ?? false,
    ...(options.resolveHost ? { resolveHost: options.resolveHost } : {}),
  };
  const exchange = options.exchange ?? createGuardedExchange(policy);
  const timeoutMs = options.timeoutMs ?? WEBHOOK_DEFAULT_TIMEOUT_MS;
  const userAgent = options.userAgent ?? WEBHOOK_DEFAULT_USER_AGENT;
  const now = options.now ?? Date.now;

  return {
    async send(message) {
      const url = parseEndpointUrl(message.url, policy);
      const signer = signerFor(message.secret);
      checkMessage(message);
      await resolveAllowedAddresses(url.hostname, policy);

      // Signed and sent as the very same string: any re-serialization would break the signature.
      const body = JSON.stringify({ type: message.type, timestamp: message.occurredAt, data: message.data });
      const sentAtMs = now();
      const headers = {
        'content-type': 'application/json',
        'user-agent': userAgent,
        'webhook-id': message.messageId,
        'webhook-timestamp': String(Math.floor(sentAtMs / 1000)),
        'webhook-signature': signer.sign(message.messageId, new Date(sentAtMs), body),
      };

      let answer: HttpAnswer;
      try {
        answer = await exchange({ url: url.href, method: 'POST', headers, body, timeoutMs });
      } catch (error) {
        if (isDomainError(error)) throw error;
        throw new DomainError(ErrorCode.UpstreamUnavailable, `cannot deliver the webhook to ${url.host}`, {
          cause: error,
        });
      }
      return classifyAnswer(url.host, answer, now());
    },
  };
}
