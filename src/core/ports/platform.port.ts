import type { Customer, LineItem, PostalAddress } from '../order/order.js';
import type { FinancialStatus, OrderStatus } from '../order/order-status.js';
import type { Platform, Store, StoreSecrets } from '../store/store.js';
import type { PlatformWriteBack } from './platform-write-back.port.js';

/** Key under which a platform-side deletion is recorded among an order's raw fields. */
export const DELETED_ON_PLATFORM = 'waymarkDeletedOnPlatform';

/** One parcel as the selling platform records it (a Shopify fulfilment's tracking number, a BigCommerce shipment…). */
export type PlatformShipment = {
  /** The platform's id of the fulfilment / shipment; with several tracking numbers, shared by the parcels it made. */
  externalId: string | null;
  trackingNumber: string;
  /** The carrier name exactly as the platform gives it ("UPS", "FedEx Ground", "Other"); null when none. */
  carrierName: string | null;
  trackingUrl: string | null;
  service: string | null;
  /** Which line items (and how many) went in this parcel, when the platform says. */
  items: { externalId: string | null; quantity: number }[];
  shippedAt: string | null;
  /** The platform's own view of delivery (Shopify `shipment_status`), kept apart from ours. */
  platformShipmentStatus: string | null;
  /** The fulfilment was cancelled on the platform (label voided, re-shipped). */
  cancelled: boolean;
};

/**
 * An order as a platform adapter hands it to Waymark: already mapped to the
 * unified order status (TAXONOMY §1), with the platform's raw status fields
 * verbatim in `platformStatus`.
 */
export type PlatformOrder = {
  externalId: string;
  number: string;
  orderStatus: OrderStatus;
  financialStatus: FinancialStatus | null;
  /** The platform's own status fields, verbatim (e.g. Shopify financial_status, fulfillment_status, cancelled_at). */
  platformStatus: Record<string, unknown>;
  cancelReason: string | null;
  customer: Customer;
  shippingAddress: PostalAddress;
  lineItems: LineItem[];
  promisedDeliveryDate: string | null;
  /** ISO-8601 UTC. */
  placedAt: string;
  /** The platform's `updated_at`, ISO-8601 UTC: an update older than the stored one never overwrites it. */
  platformUpdatedAt: string;
  shipments: PlatformShipment[];
};

/** What a webhook delivery means, once verified and parsed. */
export type PlatformWebhookContent =
  /** The full order (Shopify, WooCommerce, Adobe Commerce events). */
  | { kind: 'order'; order: PlatformOrder }
  /** Only a reference: the order must be fetched (BigCommerce's thin payloads, Shopify fulfilment topics). */
  | { kind: 'order_reference'; externalId: string }
  /** The order was deleted on the platform. */
  | { kind: 'order_deleted'; externalId: string }
  /** A topic Waymark does not act on (kept in the inbox, marked processed). */
  | { kind: 'ignored'; reason: string };

export type WebhookHeaders = Record<string, string | string[] | undefined>;

export type WebhookVerification =
  | { ok: true }
  /** A setup ping (WooCommerce) — answer 200, store nothing. */
  | { ok: true; ping: true }
  | { ok: false; reason: string };

/**
 * A platform's webhooks. Implemented in `adapters/platforms/<vendor>/<vendor>.webhook.ts`.
 * `verify` runs on the raw bytes, in constant time, before anything parses the body.
 */
export interface PlatformWebhookHandler {
  readonly platform: Platform;
  verify(input: { rawBody: Buffer; headers: WebhookHeaders; secrets: StoreSecrets; now: string }): WebhookVerification;
  /** The platform's delivery id (X-Shopify-Webhook-Id, webhook-id, BigCommerce `hash`, X-WC-Webhook-Delivery-ID), or null. */
  deliveryId(headers: WebhookHeaders, body: unknown): string | null;
  topic(headers: WebhookHeaders, body: unknown): string | null;
  /** Pure: maps a parsed body to what it means. Throws DomainError invalid_input on a wrong shape. */
  parse(topic: string | null, body: unknown): PlatformWebhookContent;
}

/** One page of changed orders, with the cursor to store once the page is applied. */
export type ChangedOrdersPage = { orders: PlatformOrder[]; nextCursor: string; hasMore: boolean };

/**
 * A platform's pull API. Implemented in `adapters/platforms/<vendor>/<vendor>.client.ts`.
 * Errors: DomainError `upstream_auth_failed`, `upstream_rate_limited` (details.retryAfterMs),
 * `upstream_unavailable`, `upstream_invalid_response`.
 */
export interface PlatformClient {
  readonly platform: Platform;
  /** The order by its platform id, or null when the platform says it does not exist. */
  fetchOrder(externalId: string): Promise<PlatformOrder | null>;
  /**
   * Orders changed since `cursor` (null: from `since`), oldest change first, one page per call.
   * The cursor is opaque to Waymark and stored after each page, so a crash resumes there;
   * adapters build in an overlap window so an order changed during the previous pull is not missed.
   */
  listChangedOrders(cursor: string | null, options: { since: string; pageSize: number }): Promise<ChangedOrdersPage>;
  /** Registers Waymark's webhooks on the platform, where its API allows (returns the topics registered). */
  registerWebhooks?(callbackUrl: string): Promise<string[]>;
  /** Cheap authenticated call for "test connection". */
  testConnection(): Promise<void>;
}

/**
 * Everything Waymark knows how to do with one platform. Registered per
 * platform in the composition root; `createClient` returns null when the
 * store lacks the credentials to pull.
 */
export interface PlatformConnector {
  readonly platform: Platform;
  readonly webhooks: PlatformWebhookHandler | null;
  createClient(store: Store, secrets: StoreSecrets): PlatformClient | null;
  /**
   * Posts shipment news back to the platform, for stores that opted in; null
   * when the store lacks the credentials. Absent: the platform takes none.
   */
  createWriteBack?(store: Store, secrets: StoreSecrets): PlatformWriteBack | null;
  /** How often to pull a store when nothing is pending (webhooks carry the urgent news). */
  readonly pullIntervalMs: number;
}

export type PlatformRegistry = ReadonlyMap<Platform, PlatformConnector>;
