/**
 * Magento pushes. Magento Open Source sends nothing by itself (polling is the main path); two
 * add-ons do, and this handler accepts both on the same route:
 *
 * 1. The open-source async-events module (`aligent/magento-async-events`, and its `mage-os`
 *    fork) with the default events `sales.order.saved` / `sales.shipment.saved`. It signs the
 *    raw body with `x-magento-signature: hex(HMAC-SHA256(body, verification_token))`; the
 *    subscription's verification token is the store's webhook secret. The body is
 *    `{"data": <REST order or shipment>}` (aligent) or a CloudEvents envelope with `id`, `type`
 *    and `data` (mage-os). Asynchronous, from a queue: the right fit for ingest.
 * 2. Adobe Commerce Webhooks (paid edition). With signing enabled, Commerce sends
 *    `x-adobe-commerce-webhook-signature`: base64 of an RSA-SHA256 signature, made with the
 *    private key of the pair generated in Admin (Stores → Settings → Configuration → Adobe
 *    Services → Webhooks), over the base64 encoding of the body. Despite Adobe's wording
 *    ("HMAC SHA256") it is a public-key signature: the store's webhook secret must be the PEM
 *    public key shown there. The body is the observer's model data
 *    (`{"eventName": "sales_order_save_after", "data": {"order": {…}}}`), not the REST shape
 *    (items keyed by id, amounts as strings, no shipping assignments), so it is only used as a
 *    reference and the order is fetched over REST. Register these as `after`, not `required`
 *    hooks: they are synchronous, and Commerce expects `{"op": "success"}` in the answer.
 *
 * Not supported: Adobe I/O Events deliveries (two RSA signatures whose public keys must be
 * downloaded from static.adobeioevents.com, which a synchronous `verify` cannot do) and
 * unsigned Adobe Commerce Webhooks secured only by a static header.
 */
import { createHmac, createPublicKey, timingSafeEqual, verify as verifySignature } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

import { DomainError, ErrorCode } from '../../../core/errors.js';
import type {
  PlatformWebhookContent,
  PlatformWebhookHandler,
  WebhookHeaders,
  WebhookVerification,
} from '../../../core/ports/platform.port.js';
import type { StoreSecrets } from '../../../core/store/store.js';
import { Platform } from '../../../core/store/store.js';
import { mapMagentoOrder } from './magento.mapping.js';
import type { MagentoMappingOptions } from './magento.mapping.js';

export const MAGENTO_ASYNC_EVENTS_SIGNATURE_HEADER = 'x-magento-signature';
export const ADOBE_COMMERCE_WEBHOOK_SIGNATURE_HEADER = 'x-adobe-commerce-webhook-signature';

export type MagentoWebhookHandlerOptions = MagentoMappingOptions;

/** Topics as the senders name them, with Adobe's `observer.` / `plugin.` prefix removed. */
const ORDER_SAVED_TOPICS: ReadonlySet<string> = new Set([
  'sales.order.saved',
  'sales_order_save_after',
  'sales_order_save_commit_after',
  'sales_order_place_after',
]);

/** Events on an order's documents: the order they belong to must be fetched again. */
const ORDER_DOCUMENT_TOPICS: ReadonlySet<string> = new Set([
  'sales.shipment.saved',
  'sales.invoice.saved',
  'sales.creditmemo.saved',
  'sales_order_shipment_save_after',
  'sales_order_shipment_save_commit_after',
  'sales_order_shipment_track_save_after',
  'sales_order_shipment_track_save_commit_after',
  'sales_order_shipment_track_delete_after',
  'sales_order_invoice_save_after',
  'sales_order_invoice_save_commit_after',
  'sales_order_creditmemo_save_after',
  'sales_order_creditmemo_save_commit_after',
]);

const ORDER_DELETED_TOPICS: ReadonlySet<string> = new Set([
  'sales.order.deleted',
  'sales_order_delete_after',
  'sales_order_delete_commit_after',
]);

/** Where Adobe's payloads put the saved document, by the model's name. */
const DOCUMENT_KEYS = ['shipment', 'track', 'invoice', 'creditmemo'] as const;

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A header's single value, whatever the case of its name; undefined when absent, null when repeated. */
function headerValue(headers: WebhookHeaders, name: string): string | null | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name || value === undefined) continue;
    if (typeof value === 'string') return value.trim();
    if (Array.isArray(value) && value.length === 1 && typeof value[0] === 'string') return value[0].trim();
    return null;
  }
  return undefined;
}

function configuredSecrets(secrets: StoreSecrets): string[] {
  return [secrets.webhookSecret, secrets.previousWebhookSecret].filter(
    (secret): secret is string => typeof secret === 'string' && secret.length > 0,
  );
}

function verifyAsyncEventsSignature(rawBody: Buffer, header: string, secrets: readonly string[]): WebhookVerification {
  if (!/^[0-9a-f]{64}$/i.test(header)) {
    return { ok: false, reason: `${MAGENTO_ASYNC_EVENTS_SIGNATURE_HEADER} is not a hex HMAC-SHA256` };
  }
  const received = Buffer.from(header, 'hex');
  for (const secret of secrets) {
    const expected = createHmac('sha256', secret).update(rawBody).digest();
    if (expected.length === received.length && timingSafeEqual(expected, received)) return { ok: true };
  }
  return { ok: false, reason: `${MAGENTO_ASYNC_EVENTS_SIGNATURE_HEADER} does not match the body` };
}

function publicKeyOf(secret: string): KeyObject | null {
  if (!secret.includes('-----BEGIN')) return null;
  try {
    return createPublicKey(secret);
  } catch {
    return null;
  }
}

function verifyAdobeCommerceSignature(
  rawBody: Buffer,
  header: string,
  secrets: readonly string[],
): WebhookVerification {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(header)) {
    return { ok: false, reason: `${ADOBE_COMMERCE_WEBHOOK_SIGNATURE_HEADER} is not base64` };
  }
  const keys = secrets.map(publicKeyOf).filter((key): key is KeyObject => key !== null);
  if (keys.length === 0) {
    return {
      ok: false,
      reason:
        'Adobe Commerce Webhooks sign with a key pair: the webhook secret must be the PEM public key from Stores → Configuration → Adobe Services → Webhooks',
    };
  }
  const signature = Buffer.from(header, 'base64');
  // Commerce signs the base64 text of the body, not the body's bytes.
  const signed = Buffer.from(rawBody.toString('base64'), 'latin1');
  for (const key of keys) {
    try {
      if (verifySignature('sha256', signed, key, signature)) return { ok: true };
    } catch {
      // A key that cannot verify RSA-SHA256 (an EC or Ed25519 key pasted by mistake) is simply not a match.
    }
  }
  return { ok: false, reason: `${ADOBE_COMMERCE_WEBHOOK_SIGNATURE_HEADER} does not match the body` };
}

function isCloudEvent(body: JsonObject): boolean {
  return typeof body.specversion === 'string';
}

function looksLikeRestOrder(value: unknown): value is JsonObject {
  return isObject(value) && 'increment_id' in value && 'state' in value && 'entity_id' in value;
}

function looksLikeRestShipment(value: unknown): value is JsonObject {
  return isObject(value) && 'order_id' in value && ('tracks' in value || 'packages' in value) && !('state' in value);
}

function nonEmptyString(value: unknown): string | null {
  return typeof value === 'string' && value.trim().length > 0 ? value.trim() : null;
}

function normaliseTopic(topic: string): string {
  return topic
    .trim()
    .toLowerCase()
    .replace(/^(observer|plugin)\./, '');
}

/** The topic the sender gave, or, for aligent's envelope (which has none), what its data is. */
function topicOf(body: unknown): string | null {
  if (!isObject(body)) return null;
  if (isCloudEvent(body)) return nonEmptyString(body.type);
  const eventName = nonEmptyString(body.eventName);
  if (eventName) return eventName;
  if (looksLikeRestOrder(body.data)) return 'sales.order.saved';
  if (looksLikeRestShipment(body.data)) return 'sales.shipment.saved';
  return null;
}

function idOf(value: unknown): string | null {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return String(value);
  if (typeof value === 'string' && /^\d+$/.test(value.trim())) return value.trim();
  return null;
}

/** The object Adobe's payload holds under `key`: in `data` (default payload) or at the top (configured fields). */
function adobeSubject(body: JsonObject, key: string): JsonObject | null {
  const data = body.data;
  if (isObject(data) && isObject(data[key])) return data[key];
  return isObject(body[key]) ? body[key] : null;
}

function orderIdOf(body: JsonObject): string | null {
  const order = adobeSubject(body, 'order');
  if (order) return idOf(order.entity_id) ?? idOf(order.id);
  return isObject(body.data) ? idOf(body.data.entity_id) : null;
}

function documentOrderIdOf(body: JsonObject): string | null {
  for (const key of DOCUMENT_KEYS) {
    const document = adobeSubject(body, key);
    const id = document ? idOf(document.order_id) : null;
    if (id) return id;
  }
  const order = adobeSubject(body, 'order');
  if (order) return idOf(order.entity_id);
  return isObject(body.data) ? idOf(body.data.order_id) : null;
}

function invalidBody(message: string): DomainError {
  return new DomainError(ErrorCode.InvalidInput, `Magento webhook: ${message}`);
}

/** Magento async events and Adobe Commerce Webhooks; see the file comment for what each sends. */
export function createMagentoWebhookHandler(options: MagentoWebhookHandlerOptions = {}): PlatformWebhookHandler {
  return {
    platform: Platform.Magento,

    verify({ rawBody, headers, secrets }): WebhookVerification {
      const candidates = configuredSecrets(secrets);
      if (candidates.length === 0) return { ok: false, reason: 'no webhook secret is configured for this store' };
      const hmacHeader = headerValue(headers, MAGENTO_ASYNC_EVENTS_SIGNATURE_HEADER);
      if (hmacHeader === null) return { ok: false, reason: `${MAGENTO_ASYNC_EVENTS_SIGNATURE_HEADER} is repeated` };
      if (hmacHeader !== undefined) return verifyAsyncEventsSignature(rawBody, hmacHeader, candidates);
      const adobeHeader = headerValue(headers, ADOBE_COMMERCE_WEBHOOK_SIGNATURE_HEADER);
      if (adobeHeader === null) return { ok: false, reason: `${ADOBE_COMMERCE_WEBHOOK_SIGNATURE_HEADER} is repeated` };
      if (adobeHeader !== undefined) return verifyAdobeCommerceSignature(rawBody, adobeHeader, candidates);
      return {
        ok: false,
        reason: `no ${MAGENTO_ASYNC_EVENTS_SIGNATURE_HEADER} or ${ADOBE_COMMERCE_WEBHOOK_SIGNATURE_HEADER} header`,
      };
    },

    deliveryId(_headers: WebhookHeaders, body: unknown): string | null {
      // Only the CloudEvents envelope carries an event id; aligent's envelope and Adobe's
      // payloads have none, and their processing is idempotent anyway.
      return isObject(body) && isCloudEvent(body) ? nonEmptyString(body.id) : null;
    },

    topic(_headers: WebhookHeaders, body: unknown): string | null {
      return topicOf(body);
    },

    parse(topic: string | null, body: unknown): PlatformWebhookContent {
      if (!isObject(body)) throw invalidBody('the body must be a JSON object');
      const given = topic ?? topicOf(body);
      if (!given) throw invalidBody('no event name (type, eventName) and no order or shipment in data');
      const event = normaliseTopic(given);

      if (ORDER_SAVED_TOPICS.has(event)) {
        // aligent / mage-os send the REST representation (OrderRepositoryInterface::get): usable as is,
        // except that it has no shipments, which arrive with sales.shipment.saved and the next poll.
        if (looksLikeRestOrder(body.data)) return { kind: 'order', order: mapMagentoOrder(body.data, [], options) };
        const externalId = orderIdOf(body);
        if (!externalId) throw invalidBody(`${given} without an order entity_id (data.order.entity_id)`);
        return { kind: 'order_reference', externalId };
      }
      if (ORDER_DOCUMENT_TOPICS.has(event)) {
        const externalId = documentOrderIdOf(body);
        if (!externalId) throw invalidBody(`${given} without the order_id of its order`);
        return { kind: 'order_reference', externalId };
      }
      if (ORDER_DELETED_TOPICS.has(event)) {
        const externalId = orderIdOf(body);
        if (!externalId) throw invalidBody(`${given} without an order entity_id (data.order.entity_id)`);
        return { kind: 'order_deleted', externalId };
      }
      return { kind: 'ignored', reason: `Magento event ${given} does not concern orders` };
    },
  };
}
