import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { DomainError, ErrorCode } from '../../../core/errors.js';
import type {
  PlatformWebhookContent,
  PlatformWebhookHandler,
  WebhookHeaders,
  WebhookVerification,
} from '../../../core/ports/platform.port.js';
import {
  mapShopifyRestOrder,
  shopifyLegacyId,
  shopifyRestIdSchema,
  type ShopifyMappingOptions,
} from './shopify.mapping.js';

/** Topics whose body is the full REST Order object. */
export const SHOPIFY_ORDER_TOPICS: ReadonlySet<string> = new Set([
  'orders/create',
  'orders/updated',
  'orders/cancelled',
  'orders/fulfilled',
  'orders/partially_fulfilled',
  'orders/paid',
]);

/** Topics whose body names the order only (`order_id`): the order must be fetched. */
export const SHOPIFY_ORDER_REFERENCE_TOPICS: ReadonlySet<string> = new Set([
  'fulfillments/create',
  'fulfillments/update',
  'fulfillment_events/create',
]);

export const SHOPIFY_ORDER_DELETED_TOPIC = 'orders/delete';
/** `{ "order_edit": { "order_id": … } }`, not an order. */
export const SHOPIFY_ORDER_EDITED_TOPIC = 'orders/edited';
export const SHOPIFY_APP_UNINSTALLED_TOPIC = 'app/uninstalled';

export type ShopifyWebhookHandlerOptions = ShopifyMappingOptions;

/** HMAC-SHA256 of the raw body, base64, as Shopify puts it in `X-Shopify-Hmac-Sha256`. */
export function signShopifyWebhook(rawBody: Buffer | string, secret: string): string {
  return createHmac('sha256', secret).update(rawBody).digest('base64');
}

function headerValue(headers: WebhookHeaders, name: string): string | null {
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
  const value = key === undefined ? undefined : headers[key];
  if (typeof value === 'string') return value.trim() || null;
  // The same header twice is not something Shopify sends.
  return Array.isArray(value) && value.length === 1 ? value[0]?.trim() || null : null;
}

/** A SHA-256 digest is 32 bytes: 43 base64 characters and one `=`. */
const BASE64_SHA256 = /^[A-Za-z0-9+/]{43}=$/;

function digestMatches(rawBody: Buffer, secret: string, presented: Buffer): boolean {
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  return expected.length === presented.length && timingSafeEqual(expected, presented);
}

function idFrom(body: unknown, schema: z.ZodType<string | number>, what: string): string {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new DomainError(ErrorCode.InvalidInput, `Shopify ${what} is missing or not a numeric id`);
  }
  return String(parsed.data);
}

/** `orders/delete` sends `{ "id": … }` only; its `admin_graphql_api_id`, when present, keeps ids above 2^53 exact. */
function deletedOrderId(body: unknown): string {
  if (typeof body === 'object' && body !== null && 'admin_graphql_api_id' in body) {
    const gid = body.admin_graphql_api_id;
    const id = typeof gid === 'string' ? shopifyLegacyId(gid) : null;
    if (id) return id;
  }
  return idFrom(
    body,
    z.object({ id: shopifyRestIdSchema }).transform((value) => value.id),
    'orders/delete body `id`',
  );
}

/**
 * Shopify webhooks (HTTPS delivery). `verify` checks `X-Shopify-Hmac-Sha256`
 * (base64 HMAC-SHA256 of the raw bytes, keyed with the app's client secret)
 * against `secrets.webhookSecret` and, during a rotation, against
 * `secrets.previousWebhookSecret`: Shopify may keep signing with the old
 * secret for up to an hour after a rotation. Webhooks a merchant creates by
 * hand in the admin are signed with a store key instead and do not verify.
 */
export function createShopifyWebhookHandler(options: ShopifyWebhookHandlerOptions = {}): PlatformWebhookHandler {
  return {
    platform: 'shopify',

    verify({ rawBody, headers, secrets }): WebhookVerification {
      const presented = headerValue(headers, 'x-shopify-hmac-sha256');
      if (presented === null) return { ok: false, reason: 'missing X-Shopify-Hmac-Sha256 header' };
      const candidates = [secrets.webhookSecret, secrets.previousWebhookSecret].filter(
        (secret): secret is string => typeof secret === 'string' && secret.length > 0,
      );
      if (candidates.length === 0) return { ok: false, reason: 'no webhook secret is configured for this store' };
      if (!BASE64_SHA256.test(presented)) {
        return { ok: false, reason: 'X-Shopify-Hmac-Sha256 is not a base64 HMAC-SHA256' };
      }
      const presentedDigest = Buffer.from(presented, 'base64');
      // Every candidate is computed, so the time taken does not say which secret matched.
      let matched = false;
      for (const secret of candidates) matched = digestMatches(rawBody, secret, presentedDigest) || matched;
      return matched ? { ok: true } : { ok: false, reason: 'X-Shopify-Hmac-Sha256 does not match the body' };
    },

    deliveryId(headers): string | null {
      return headerValue(headers, 'x-shopify-webhook-id') ?? headerValue(headers, 'x-shopify-event-id');
    },

    topic(headers): string | null {
      return headerValue(headers, 'x-shopify-topic')?.toLowerCase() ?? null;
    },

    parse(topic, body): PlatformWebhookContent {
      const normalized = topic?.trim().toLowerCase() ?? null;
      if (normalized === null) return { kind: 'ignored', reason: 'the delivery has no X-Shopify-Topic' };
      if (SHOPIFY_ORDER_TOPICS.has(normalized)) {
        return { kind: 'order', order: mapShopifyRestOrder(body, options) };
      }
      if (normalized === SHOPIFY_ORDER_DELETED_TOPIC)
        return { kind: 'order_deleted', externalId: deletedOrderId(body) };
      if (SHOPIFY_ORDER_REFERENCE_TOPICS.has(normalized)) {
        const externalId = idFrom(
          body,
          z.object({ order_id: shopifyRestIdSchema }).transform((value) => value.order_id),
          `${normalized} body \`order_id\``,
        );
        return { kind: 'order_reference', externalId };
      }
      if (normalized === SHOPIFY_ORDER_EDITED_TOPIC) {
        const externalId = idFrom(
          body,
          z
            .object({ order_edit: z.object({ order_id: shopifyRestIdSchema }) })
            .transform((value) => value.order_edit.order_id),
          'orders/edited body `order_edit.order_id`',
        );
        return { kind: 'order_reference', externalId };
      }
      if (normalized === SHOPIFY_APP_UNINSTALLED_TOPIC) {
        return {
          kind: 'ignored',
          reason: 'app/uninstalled: the access token is revoked; polling will report auth failures',
        };
      }
      return { kind: 'ignored', reason: `topic ${normalized} is not one Waymark acts on` };
    },
  };
}
