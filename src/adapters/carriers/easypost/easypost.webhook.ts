/**
 * EasyPost webhook authentication and envelope fields.
 *
 * EasyPost signs the raw request body: `X-Hmac-Signature: hmac-sha256-hex=<hex>`, an
 * HMAC-SHA256 keyed with the webhook secret after Unicode NFKD normalisation (the official
 * SDKs normalise before encoding, so a secret typed with a ligature or full-width digit still
 * matches). No timestamp is signed: replay protection is the event `id`, deduplicated by
 * the caller.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const EASYPOST_SIGNATURE_HEADER = 'x-hmac-signature';

const SIGNATURE_PREFIX = 'hmac-sha256-hex=';
const SHA256_HEX = /^[0-9a-f]{64}$/i;

type WebhookHeaders = Record<string, string | string[] | undefined>;

/** A header's single value, whatever the case of its name; several values are ambiguous → null. */
function singleHeader(headers: WebhookHeaders, name: string): string | null {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name) continue;
    if (typeof value === 'string') return value;
    if (Array.isArray(value) && value.length === 1 && typeof value[0] === 'string') return value[0];
    return null;
  }
  return null;
}

/**
 * Whether the request really comes from EasyPost: the signature is recomputed over the raw
 * body bytes (never a re-serialised JSON) and compared in constant time. An empty secret
 * fails closed.
 */
export function verifyEasyPostWebhook(rawBody: Buffer, headers: WebhookHeaders, secret: string): boolean {
  if (!secret) return false;
  const header = singleHeader(headers, EASYPOST_SIGNATURE_HEADER)?.trim();
  if (!header?.startsWith(SIGNATURE_PREFIX)) return false;
  const hex = header.slice(SIGNATURE_PREFIX.length);
  if (!SHA256_HEX.test(hex)) return false;

  const received = Buffer.from(hex, 'hex');
  const expected = createHmac('sha256', Buffer.from(secret.normalize('NFKD'), 'utf8'))
    .update(rawBody)
    .digest();
  return received.length === expected.length && timingSafeEqual(received, expected);
}

function stringField(body: unknown, field: string): string | null {
  if (typeof body !== 'object' || body === null) return null;
  const value = (body as Record<string, unknown>)[field];
  return typeof value === 'string' && value.length > 0 ? value : null;
}

/** The Event `id` (`evt_…`), EasyPost's idempotency key; retries repeat it. */
export function easyPostWebhookEventId(body: unknown): string | null {
  return stringField(body, 'id');
}

/** The Event `description`, e.g. `tracker.updated`. */
export function easyPostWebhookTopic(body: unknown): string | null {
  return stringField(body, 'description');
}
