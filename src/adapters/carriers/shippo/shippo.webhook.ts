/**
 * Shippo webhook authentication and envelope fields.
 *
 * Shippo does not sign its webhooks (its SDK's `validateWebhook` only parses the body) and
 * sends no event id. The route is protected instead by a shared secret that only Shippo knows:
 * the webhook URL registered with Shippo carries it (`…/webhooks/shippo?token=<secret>`), and
 * the HTTP layer hands that query value to `verifyShippoWebhook` as the
 * `x-waymark-webhook-token` header (or a proxy sets that header), where it is compared in
 * constant time. Anyone who learns the URL can post; keep it out of logs and rotate it like a
 * password. Deduplication uses a hash of the body, since Shippo's tracking webhooks are not
 * idempotent and carry no id.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export const SHIPPO_TOKEN_HEADER = 'x-waymark-webhook-token';

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

function sha256(value: string | Buffer): Buffer {
  return createHash('sha256').update(value).digest();
}

/**
 * Whether the request carries the shared webhook token. Shippo gives nothing to check on the
 * body itself, so `rawBody` is not read; it is accepted so that the three vendors' verifiers
 * share one signature. Both tokens are hashed first, so the comparison takes the same time
 * whatever their lengths. An empty secret fails closed.
 */
export function verifyShippoWebhook(_rawBody: Buffer, headers: WebhookHeaders, secret: string): boolean {
  if (!secret) return false;
  const token = singleHeader(headers, SHIPPO_TOKEN_HEADER);
  if (!token) return false;
  const received = sha256(Buffer.from(token, 'utf8'));
  const expected = sha256(Buffer.from(secret, 'utf8'));
  return received.length === expected.length && timingSafeEqual(received, expected);
}

/** JSON with object keys sorted, so the same content always hashes the same. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, field]) => field !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, field]) => `${JSON.stringify(key)}:${canonicalJson(field)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * A stand-in event id: `sha256:` + the hex SHA-256 of the parsed body in canonical form (key
 * order and whitespace do not matter). A retry of the same notification hashes the same; so
 * does a second notification with identical content, which carries nothing new.
 */
export function shippoWebhookEventId(body: unknown): string | null {
  if (typeof body !== 'object' || body === null) return null;
  return `sha256:${sha256(canonicalJson(body)).toString('hex')}`;
}

/** `event`: `track_updated`, `transaction_created`, `transaction_updated`, `batch_created`, … */
export function shippoWebhookTopic(body: unknown): string | null {
  if (typeof body !== 'object' || body === null) return null;
  const event = (body as Record<string, unknown>).event;
  return typeof event === 'string' && event.length > 0 ? event : null;
}
