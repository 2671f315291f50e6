/**
 * WooCommerce webhooks (`WC_Webhook::deliver`): a POST of the trimmed JSON body with
 * `X-WC-Webhook-Signature` = standard base64 of the binary HMAC-SHA256 of exactly those bytes,
 * keyed with the webhook's secret after WordPress's `wp_specialchars_decode(…, ENT_QUOTES)`;
 * `X-WC-Webhook-Topic` (`order.updated`…), `X-WC-Webhook-Delivery-ID` (a fresh hash per
 * delivery attempt — WooCommerce never redelivers, so it only catches duplicates of one
 * attempt; the ingest's `date_modified_gmt` comparison does the rest).
 *
 * When a webhook is saved active, WooCommerce first sends an unsigned ping whose body is
 * form-encoded `webhook_id=<id>` and whose headers carry none of the X-WC-Webhook-* fields; it
 * must get a 200 or the admin shows an error. Only that exact shape counts as a ping.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

import { DomainError, ErrorCode } from '../../../core/errors.js';
import type {
  PlatformWebhookContent,
  PlatformWebhookHandler,
  WebhookHeaders,
  WebhookVerification,
} from '../../../core/ports/platform.port.js';
import type { StoreSecrets } from '../../../core/store/store.js';
import { mapWooCommerceOrder, type WooCommerceMappingOptions } from './woocommerce.mapping.js';

export const WOOCOMMERCE_SIGNATURE_HEADER = 'x-wc-webhook-signature';
export const WOOCOMMERCE_TOPIC_HEADER = 'x-wc-webhook-topic';
export const WOOCOMMERCE_DELIVERY_ID_HEADER = 'x-wc-webhook-delivery-id';

/** The topics Waymark subscribes to (see `registerWebhooks`). */
export const WOOCOMMERCE_ORDER_TOPICS = ['order.created', 'order.updated', 'order.deleted', 'order.restored'] as const;

/** 32 bytes in standard base64: 43 characters and one `=`. */
const SHA256_BASE64 = /^[A-Za-z0-9+/]{43}=$/;
/** `'webhook_id=' . $this->get_id()`: a post id, nothing else. */
const PING_BODY = /^webhook_id=[1-9]\d{0,19}$/;
/** `action.woocommerce_order_status_changed`, `action.woocommerce_order_status_completed`…: `{action, arg: order id}`. */
const ORDER_ACTION_TOPIC = /^action\.woocommerce_order_status_[a-z0-9_-]+$/;

export type WooCommerceWebhookOptions = WooCommerceMappingOptions;

/** Every value of a header, whatever the case of its name. */
function headerValues(headers: WebhookHeaders, name: string): string[] {
  const values: string[] = [];
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name) continue;
    if (typeof value === 'string') values.push(value);
    else if (Array.isArray(value)) values.push(...value.filter((entry) => typeof entry === 'string'));
  }
  return values;
}

/** The header's value when it was sent once; absent or repeated → null. */
function singleHeader(headers: WebhookHeaders, name: string): string | null {
  const values = headerValues(headers, name);
  return values.length === 1 ? (values[0] ?? null) : null;
}

/**
 * The setup ping, strictly: no signature and no topic (real deliveries always carry both), a
 * body that is exactly `webhook_id=<digits>`, and nothing but a form (or no) content type.
 */
export function isWooCommerceSetupPing(rawBody: Buffer, headers: WebhookHeaders): boolean {
  if (headerValues(headers, WOOCOMMERCE_SIGNATURE_HEADER).length > 0) return false;
  if (headerValues(headers, WOOCOMMERCE_TOPIC_HEADER).length > 0) return false;
  const contentTypes = headerValues(headers, 'content-type');
  if (contentTypes.length > 1) return false;
  const [contentType] = contentTypes;
  if (contentType !== undefined && !/^application\/x-www-form-urlencoded\s*(;|$)/i.test(contentType.trim())) {
    return false;
  }
  return rawBody.length <= 32 && PING_BODY.test(rawBody.toString('latin1'));
}

/** `wp_specialchars_decode($secret, ENT_QUOTES)`: what WooCommerce really keys the HMAC with. */
export function wordpressSpecialcharsDecode(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#0*39;|&#x0*27;/gi, "'")
    .replace(/&amp;/g, '&');
}

/** The keys to try: the current secret, then the previous one during a rotation. */
function candidateKeys(secrets: StoreSecrets): string[] {
  const keys: string[] = [];
  for (const secret of [secrets.webhookSecret, secrets.previousWebhookSecret]) {
    if (!secret) continue;
    keys.push(secret);
    // A secret copied from the WordPress admin can hold entities; WooCommerce signs with the decoded form.
    const decoded = wordpressSpecialcharsDecode(secret);
    if (decoded !== secret) keys.push(decoded);
  }
  return keys;
}

function signatureMatches(rawBody: Buffer, received: Buffer, key: string): boolean {
  const expected = createHmac('sha256', Buffer.from(key, 'utf8')).update(rawBody).digest();
  return received.length === expected.length && timingSafeEqual(received, expected);
}

function positiveIntegerId(value: unknown): string | null {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return String(value);
  if (typeof value === 'string' && /^[1-9]\d*$/.test(value.trim())) return value.trim();
  return null;
}

function asObject(body: unknown, topic: string): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new DomainError(ErrorCode.InvalidInput, `WooCommerce ${topic} webhook: expected a JSON object body`);
  }
  return body as Record<string, unknown>;
}

/** Bodies that look like an order delivery but are not a v3 order, each with the fix. */
function refuseNonOrderBody(body: Record<string, unknown>, topic: string): void {
  if ('order' in body && !('id' in body)) {
    throw new DomainError(
      ErrorCode.InvalidInput,
      `WooCommerce ${topic} webhook: legacy API payload ({"order": …}); set the webhook's API version to "WP REST API Integration v3"`,
    );
  }
  if (typeof body.code === 'string' && typeof body.message === 'string' && !('id' in body)) {
    // WooCommerce builds the body as the webhook's user; a user who may not read orders gets a WP_Error.
    throw new DomainError(
      ErrorCode.InvalidInput,
      `WooCommerce ${topic} webhook: WooCommerce sent an error instead of the order (${body.code}); the webhook's user cannot read orders`,
    );
  }
}

export function createWooCommerceWebhookHandler(options: WooCommerceWebhookOptions = {}): PlatformWebhookHandler {
  return {
    platform: 'woocommerce',

    verify({ rawBody, headers, secrets }): WebhookVerification {
      const signatures = headerValues(headers, WOOCOMMERCE_SIGNATURE_HEADER);
      if (signatures.length === 0) {
        if (isWooCommerceSetupPing(rawBody, headers)) return { ok: true, ping: true };
        return { ok: false, reason: 'missing X-WC-Webhook-Signature' };
      }
      if (signatures.length > 1) return { ok: false, reason: 'more than one X-WC-Webhook-Signature' };
      const presented = (signatures[0] ?? '').trim();
      if (!SHA256_BASE64.test(presented)) {
        return { ok: false, reason: 'X-WC-Webhook-Signature is not a base64 HMAC-SHA256' };
      }
      const keys = candidateKeys(secrets);
      if (keys.length === 0) return { ok: false, reason: 'no webhook secret is configured for this store' };
      const received = Buffer.from(presented, 'base64');
      // Every key is tried, so the time taken does not say which one matched.
      let matched = false;
      for (const key of keys) matched = signatureMatches(rawBody, received, key) || matched;
      return matched ? { ok: true } : { ok: false, reason: 'X-WC-Webhook-Signature does not match the body' };
    },

    deliveryId(headers): string | null {
      return singleHeader(headers, WOOCOMMERCE_DELIVERY_ID_HEADER)?.trim() || null;
    },

    topic(headers): string | null {
      return singleHeader(headers, WOOCOMMERCE_TOPIC_HEADER)?.trim().toLowerCase() || null;
    },

    parse(topic, body): PlatformWebhookContent {
      const normalised = topic?.trim().toLowerCase() ?? '';
      switch (normalised) {
        case 'order.created':
        case 'order.updated':
        case 'order.restored': {
          const payload = asObject(body, normalised);
          refuseNonOrderBody(payload, normalised);
          return { kind: 'order', order: mapWooCommerceOrder(payload, options) };
        }
        case 'order.deleted': {
          // Fired when an order goes to the trash (and on deletion); the body is just `{"id": N}`.
          const externalId = positiveIntegerId(asObject(body, normalised).id);
          if (!externalId) {
            throw new DomainError(
              ErrorCode.InvalidInput,
              'WooCommerce order.deleted webhook: "id" must be a positive integer',
            );
          }
          return { kind: 'order_deleted', externalId };
        }
        case '':
          return { kind: 'ignored', reason: 'no X-WC-Webhook-Topic on the delivery' };
        default:
          break;
      }
      if (ORDER_ACTION_TOPIC.test(normalised)) {
        const externalId = positiveIntegerId(asObject(body, normalised).arg);
        if (!externalId) {
          throw new DomainError(ErrorCode.InvalidInput, `WooCommerce ${normalised} webhook: "arg" must be an order id`);
        }
        return { kind: 'order_reference', externalId };
      }
      return { kind: 'ignored', reason: `WooCommerce topic ${normalised} is not an order topic Waymark uses` };
    },
  };
}
