import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { DomainError, ErrorCode } from '../../../core/errors.js';
import type {
  PlatformWebhookContent,
  PlatformWebhookHandler,
  WebhookHeaders,
  WebhookVerification,
} from '../../../core/ports/platform.port.js';
import type { StoreSecrets } from '../../../core/store/store.js';
import { BIGCOMMERCE_INCOMPLETE_STATUS_ID } from './bigcommerce.mapping.js';

/**
 * The custom header Waymark asks BigCommerce to echo on every callback
 * (`headers` of `POST /v3/hooks`); its value is the store's webhook secret.
 */
export const BIGCOMMERCE_SECRET_HEADER = 'X-Waymark-Webhook-Secret';
/** `StoreSecrets.credentials` key of the Standard Webhooks secret (`whsec_` + base64 of the app's client secret). */
export const STANDARD_WEBHOOKS_SECRET_KEY = 'standardWebhooksSecret';
/** The Standard Webhooks libraries' default tolerance for `webhook-timestamp`. */
export const STANDARD_WEBHOOKS_TOLERANCE_MS = 5 * 60_000;

/** What a scope means to Waymark. Data, so a new scope is one row. */
type ScopeMeaning = 'order' | 'order_status' | 'order_archived' | 'shipment' | 'ignored';

export const BIGCOMMERCE_SCOPES: Readonly<Record<string, ScopeMeaning>> = {
  // Also fires for incomplete checkouts; the fetched order says so (status_id 0) and is dropped then.
  'store/order/created': 'order',
  'store/order/updated': 'order',
  'store/order/statusUpdated': 'order_status',
  // BigCommerce's DELETE /v2/orders/{id} archives (is_deleted: true) and archived orders leave the
  // default order list, so the poll never sees it: this callback is the only news of the deletion.
  'store/order/archived': 'order_archived',
  // Refunds and payments move payment_status, which Waymark mirrors as the financial status.
  'store/order/refund/created': 'order',
  'store/order/transaction/created': 'order',
  'store/order/transaction/updated': 'order',
  'store/order/message/created': 'ignored',
  'store/order/metafield/created': 'ignored',
  'store/order/metafield/updated': 'ignored',
  'store/order/metafield/deleted': 'ignored',
  // Shipments change the parcels Waymark tracks; they belong to data.orderId.
  'store/shipment/created': 'shipment',
  'store/shipment/updated': 'shipment',
  'store/shipment/deleted': 'shipment',
};

export type BigCommerceWebhookHandlerOptions = {
  /** How far `webhook-timestamp` may be from now; default 5 minutes. */
  toleranceMs?: number;
};

const positiveId = z.union([
  z.number().int().positive(),
  z
    .string()
    .regex(/^[1-9]\d*$/)
    .transform(Number),
]);

const callbackSchema = z.object({
  scope: z.string().min(1),
  store_id: z.union([z.string(), z.number()]).nullish(),
  data: z.object({
    type: z.string().nullish(),
    id: positiveId,
    orderId: positiveId.nullish(),
    status: z
      .object({ previous_status_id: z.number().int().nullish(), new_status_id: z.number().int().nullish() })
      .nullish(),
  }),
  hash: z.string().nullish(),
  created_at: z.number().nullish(),
  producer: z.string().nullish(),
});

type Callback = z.infer<typeof callbackSchema>;

function headerValue(headers: WebhookHeaders, name: string): string | null {
  const wanted = name.toLowerCase();
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === wanted);
  const value = key === undefined ? undefined : headers[key];
  if (typeof value === 'string') return value;
  // A repeated security header is not something BigCommerce sends.
  return Array.isArray(value) && value.length === 1 ? (value[0] ?? null) : null;
}

/** `crypto.timingSafeEqual` throws on unequal lengths; unequal lengths are simply unequal. */
function constantTimeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** Compared as digests, so neither the secret's length nor its prefix leaks through timing. */
function matchesSecret(presented: string, secret: string | null): boolean {
  return secret !== null && secret.length > 0 && constantTimeEqual(sha256(presented), sha256(secret));
}

/** The HMAC key of a Standard Webhooks secret: base64 after an optional `whsec_` prefix. */
export function standardWebhooksKey(secret: string): Buffer | null {
  const encoded = secret.trim().replace(/^whsec_/, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) return null;
  const key = Buffer.from(encoded, 'base64');
  return key.length > 0 ? key : null;
}

/** `v1,` + base64 HMAC-SHA256 of `{id}.{timestamp}.{body}`, as a Standard Webhooks sender writes it. */
export function standardWebhooksSignature(key: Buffer, id: string, timestamp: string, rawBody: Buffer): string {
  const mac = createHmac('sha256', key).update(`${id}.${timestamp}.`, 'utf8').update(rawBody).digest('base64');
  return `v1,${mac}`;
}

function verifyStandardWebhooks(
  input: { rawBody: Buffer; headers: WebhookHeaders; now: string },
  secret: string,
  toleranceMs: number,
): WebhookVerification {
  const key = standardWebhooksKey(secret);
  if (!key) return { ok: false, reason: 'the store\'s standardWebhooksSecret is not a "whsec_" base64 secret' };
  const id = headerValue(input.headers, 'webhook-id');
  const timestamp = headerValue(input.headers, 'webhook-timestamp');
  const signatures = headerValue(input.headers, 'webhook-signature');
  if (!id || !timestamp || !signatures) {
    return { ok: false, reason: 'missing webhook-id, webhook-timestamp or webhook-signature header' };
  }
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'webhook-timestamp is not Unix seconds' };
  const nowMs = Date.parse(input.now);
  if (Number.isNaN(nowMs)) return { ok: false, reason: 'verification clock is not a date' };
  if (Math.abs(nowMs - Number(timestamp) * 1000) > toleranceMs) {
    // A captured delivery replayed later carries its old, validly signed timestamp.
    return { ok: false, reason: 'webhook-timestamp is outside the allowed window (replay?)' };
  }
  const expected = Buffer.from(standardWebhooksSignature(key, id, timestamp, input.rawBody).slice(3), 'base64');
  // Several space-separated signatures are sent while the sender rotates its secret; any v1 may match.
  const matched = signatures
    .split(' ')
    .filter((entry) => entry.startsWith('v1,'))
    .some((entry) => constantTimeEqual(Buffer.from(entry.slice(3), 'base64'), expected));
  return matched ? { ok: true } : { ok: false, reason: 'webhook-signature does not match the body' };
}

function parseCallback(body: unknown): Callback {
  const parsed = callbackSchema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = issue && issue.path.length > 0 ? issue.path.join('.') : '(root)';
  throw new DomainError(
    ErrorCode.InvalidInput,
    `BigCommerce webhook body has an unexpected shape at ${path}: ${issue?.message ?? 'invalid'}`,
  );
}

function stringField(body: unknown, field: string): string | null {
  if (typeof body !== 'object' || body === null || !(field in body)) return null;
  const value = (body as Record<string, unknown>)[field];
  return typeof value === 'string' && value.length > 0 ? value : null;
}

/**
 * BigCommerce webhooks (`POST /webhooks/bigcommerce/{storeId}`).
 *
 * Verification: the `X-Waymark-Webhook-Secret` header set at hook creation
 * must equal `secrets.webhookSecret` (or `previousWebhookSecret` during a
 * rotation). When `secrets.credentials.standardWebhooksSecret` is set, the
 * Standard Webhooks signature must also match the raw bytes and its
 * timestamp lie within ±5 minutes of `now`. The custom header alone proves
 * the sender knows the secret but does not bind the body; the signature does.
 *
 * Bodies are thin (`{scope, data: {id}, hash, created_at}`): orders and
 * shipments become `order_reference` (the worker fetches the order), an
 * archived order `order_deleted`, a status change to 0 (Incomplete) and
 * unused scopes `ignored`.
 */
export function createBigCommerceWebhookHandler(
  options: BigCommerceWebhookHandlerOptions = {},
): PlatformWebhookHandler {
  const toleranceMs = options.toleranceMs ?? STANDARD_WEBHOOKS_TOLERANCE_MS;
  if (!Number.isFinite(toleranceMs) || toleranceMs <= 0) {
    throw new DomainError(ErrorCode.ConfigInvalid, 'BigCommerce webhooks: toleranceMs must be a positive number');
  }

  return {
    platform: 'bigcommerce',

    verify(input: {
      rawBody: Buffer;
      headers: WebhookHeaders;
      secrets: StoreSecrets;
      now: string;
    }): WebhookVerification {
      const { secrets } = input;
      if (!secrets.webhookSecret && !secrets.previousWebhookSecret) {
        return { ok: false, reason: 'no webhook secret is configured for this store' };
      }
      const presented = headerValue(input.headers, BIGCOMMERCE_SECRET_HEADER);
      if (presented === null) return { ok: false, reason: `missing ${BIGCOMMERCE_SECRET_HEADER} header` };
      // Both compared every time, so the timing does not say which secret matched.
      const current = matchesSecret(presented, secrets.webhookSecret);
      const previous = matchesSecret(presented, secrets.previousWebhookSecret);
      if (!current && !previous) return { ok: false, reason: `${BIGCOMMERCE_SECRET_HEADER} does not match` };
      const standardSecret = secrets.credentials[STANDARD_WEBHOOKS_SECRET_KEY];
      if (standardSecret) return verifyStandardWebhooks(input, standardSecret, toleranceMs);
      return { ok: true };
    },

    /**
     * `webhook-id` when signed. Otherwise the body's `hash` is a SHA-1 of
     * `data` alone, the same for every callback about one order (two updates
     * of order 250 share it), so it is paired with the scope and
     * `created_at`: a redelivery repeats all three, a new event does not.
     */
    deliveryId(headers: WebhookHeaders, body: unknown): string | null {
      const webhookId = headerValue(headers, 'webhook-id');
      if (webhookId) return webhookId;
      const hash = stringField(body, 'hash');
      if (!hash) return null;
      const createdAt =
        typeof body === 'object' && body !== null && 'created_at' in body ? String(body.created_at) : '';
      return `${stringField(body, 'scope') ?? ''}:${hash}:${createdAt}`;
    },

    /** BigCommerce sends no topic header; the body's `scope` is the topic. */
    topic(_headers: WebhookHeaders, body: unknown): string | null {
      return stringField(body, 'scope');
    },

    parse(topic: string | null, body: unknown): PlatformWebhookContent {
      const callback = parseCallback(body);
      const scope = topic ?? callback.scope;
      const meaning = BIGCOMMERCE_SCOPES[scope];
      const orderId = String(callback.data.id);
      switch (meaning) {
        case 'order':
          return { kind: 'order_reference', externalId: orderId };
        case 'order_status':
          if (callback.data.status?.new_status_id === BIGCOMMERCE_INCOMPLETE_STATUS_ID) {
            return {
              kind: 'ignored',
              reason: 'order moved to status 0 (Incomplete); incomplete orders are not imported',
            };
          }
          return { kind: 'order_reference', externalId: orderId };
        case 'order_archived':
          return { kind: 'order_deleted', externalId: orderId };
        case 'shipment': {
          const shipmentOrderId = callback.data.orderId;
          if (shipmentOrderId === null || shipmentOrderId === undefined) {
            throw new DomainError(ErrorCode.InvalidInput, `BigCommerce ${scope} body has no data.orderId`);
          }
          return { kind: 'order_reference', externalId: String(shipmentOrderId) };
        }
        case 'ignored':
          return { kind: 'ignored', reason: `scope ${scope} does not change what Waymark mirrors` };
        default:
          return { kind: 'ignored', reason: `scope ${scope} is not one Waymark subscribes to` };
      }
    },
  };
}
