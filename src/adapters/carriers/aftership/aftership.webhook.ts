/**
 * AfterShip Tracking webhook authentication and envelope fields.
 *
 * AfterShip signs the raw request body: `aftership-hmac-sha256: <base64>`, the standard-base64
 * HMAC-SHA256 keyed with the webhook secret as UTF-8 (not decoded, no prefix). Nothing else is
 * signed: `ts` in the body is unsigned metadata, so there is no replay window to check and
 * retries (14 over about 68 hours) must not be refused for their age; `event_id` is the
 * idempotency key.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const AFTERSHIP_SIGNATURE_HEADER = 'aftership-hmac-sha256';

/** 32 bytes in standard base64: 43 characters and one `=`. */
const SHA256_BASE64 = /^[A-Za-z0-9+/]{43}=$/;

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
 * Whether the request really comes from AfterShip Tracking: the signature is recomputed over
 * the raw body bytes and compared in constant time. An empty secret fails closed.
 */
export function verifyAfterShipWebhook(rawBody: Buffer, headers: WebhookHeaders, secret: string): boolean {
  if (!secret) return false;
  const header = singleHeader(headers, AFTERSHIP_SIGNATURE_HEADER)?.trim();
  if (!header || !SHA256_BASE64.test(header)) return false;

  const received = Buffer.from(header, 'base64');
  const expected = createHmac('sha256', Buffer.from(secret, 'utf8')).update(rawBody).digest();
  return received.length === expected.length && timingSafeEqual(received, expected);
}

function stringField(body: unknown, field: string): string | null {
  if (typeof body !== 'object' || body === null) return null;
  const value = (body as Record<string, unknown>)[field];
  return typeof value === 'string' && value.length > 0 ? value : null;
}

/** `event_id` (UUID), AfterShip's idempotency key; retries repeat it. */
export function afterShipWebhookEventId(body: unknown): string | null {
  return stringField(body, 'event_id');
}

/** `event`: `tracking_update`, `edd_revise` or `tracking_pending_time`. */
export function afterShipWebhookTopic(body: unknown): string | null {
  return stringField(body, 'event');
}
