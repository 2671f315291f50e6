import type { Order } from '../order/order.js';
import type { OrderStatus } from '../order/order-status.js';
import type { ShippingSummary } from '../order/shipping-summary.js';
import type { CarrierConfidence, Shipment, ShipmentMilestoneTimes, TrackingEvent } from '../shipment/shipment.js';
import type { IncidentReason, ShippingStatus, Substatus, TrackerState } from '../shipment/shipping-status.js';
import type { Store, StoreSecrets } from '../store/store.js';
import type { DeliveryIntelligenceStore } from './delivery-intelligence.port.js';
import type { PlatformWriteBackStore } from './platform-write-back.port.js';
import type { DashboardUserStore, InvitationStore } from './session.port.js';

/**
 * What the use cases need from storage. `storage/` implements these with
 * Kysely; the core compiles without it, and use-case tests can use fakes.
 */

export type OrderListFilter = {
  /** Matches with or without the leading `#`. */
  number?: string;
  orderStatus?: OrderStatus;
  shippingSummary?: ShippingSummary;
  carrier?: string;
  /** Orders with at least one shipment whose shipping status is this. */
  shippingStatus?: ShippingStatus;
  /** Placed at or after this instant. */
  placedFrom?: string;
  /** Placed strictly before this instant. */
  placedBefore?: string;
  /** Free text: order number, customer email or tracking number. */
  q?: string;
  limit: number;
  /** Opaque continuation from a previous page. */
  cursor?: string;
};

export type OrderPage = { orders: Order[]; nextCursor: string | null; total: number };

/** Everything about an order the platform (or API client) decides. */
export type OrderFields = Omit<Order, 'id' | 'storeId' | 'createdAt' | 'updatedAt'>;

export type NewShipment = {
  orderId: string;
  externalId: string | null;
  carrier: string | null;
  carrierConfidence: CarrierConfidence;
  trackingNumber: string;
  service: string | null;
  items?: { externalId: string | null; quantity: number }[];
  trackerState: TrackerState;
  shippedAt: string | null;
  nextCheckAt: string | null;
  platformShipmentStatus?: string | null;
};

/** What the status reducer decides; written only by the record-tracking use case. */
export type ShipmentStatusFields = ShipmentMilestoneTimes & {
  status: ShippingStatus;
  substatus: Substatus;
  reason: IncidentReason | null;
  actionRequired: boolean;
  attemptNumber: number;
  lastEventAt: string | null;
};

export type CarrierDetails = {
  carrierEddFirst?: string | null;
  carrierEddLatest?: string | null;
  signedBy?: string | null;
  trackerState?: TrackerState;
  nextCheckAt?: string | null;
};

export type NewTrackingEvent = Omit<TrackingEvent, 'id' | 'storeId' | 'shipmentId' | 'receivedAt'>;

export const ChangeCause = {
  Event: 'event',
  Webhook: 'webhook',
  Poll: 'poll',
  Api: 'api',
  User: 'user',
} as const;
export type ChangeCause = (typeof ChangeCause)[keyof typeof ChangeCause];

/**
 * The `causeRef` of changes made by polling the selling platform: `poll` alone
 * would not tell them from a carrier poll, and the journal must say which
 * system said so.
 */
export const PLATFORM_SYNC_REF = 'platform-sync';

/** One line of the journal: why a status is what it is. */
export type StatusChange = {
  id: string;
  storeId: string;
  entityType: 'order' | 'shipment';
  entityId: string;
  /** `carrier`: the merchant corrected which carrier a parcel is tracked with. */
  field: 'order_status' | 'shipping_status' | 'shipping_summary' | 'financial_status' | 'carrier';
  from: string | null;
  to: string;
  cause: ChangeCause;
  causeRef: string | null;
  at: string;
};

export type NewStatusChange = Omit<StatusChange, 'id'>;

export interface StoreStore {
  findStoreById(id: string): Promise<Store | undefined>;
  findStoreBySlug(slug: string): Promise<Store | undefined>;
  getStoreSecrets(id: string): Promise<StoreSecrets>;
  /** The store and its opened secrets in one read (webhook intake, a hot path). */
  findStoreWithSecrets(id: string): Promise<{ store: Store; secrets: StoreSecrets } | undefined>;
}

export interface SyncCursorStore {
  findCursor(storeId: string, resource: string): Promise<string | null>;
  saveCursor(storeId: string, resource: string, cursor: string | null, now: string): Promise<void>;
}

export interface OrderStore {
  insertOrder(storeId: string, fields: OrderFields, now: string): Promise<Order>;
  updateOrder(storeId: string, id: string, fields: OrderFields, now: string): Promise<Order>;
  setShippingSummary(storeId: string, id: string, summary: ShippingSummary, now: string): Promise<void>;
  findOrderById(storeId: string, id: string): Promise<Order | undefined>;
  findOrderByExternalId(storeId: string, externalId: string): Promise<Order | undefined>;
  listOrders(storeId: string, filter: OrderListFilter): Promise<OrderPage>;
  /** The customer look-up: the order only when the number and the email or postal code both match. */
  findOrderForCustomer(
    storeId: string,
    number: string,
    proof: { email?: string; postalCode?: string },
  ): Promise<Order | undefined>;
}

export interface ShipmentStore {
  /** Inserts, or returns the existing shipment with the same order and tracking number. */
  insertShipment(storeId: string, input: NewShipment, now: string): Promise<{ shipment: Shipment; created: boolean }>;
  findShipmentById(storeId: string, id: string): Promise<Shipment | undefined>;
  listShipmentsForOrders(orderIds: string[]): Promise<Shipment[]>;
  /** Across stores: a pushed tracking update names a number, not a store. `carrier` narrows when known. */
  findShipmentsByTrackingNumber(trackingNumber: string, carrier: string | null): Promise<Shipment[]>;
  setShipmentStatus(storeId: string, id: string, fields: ShipmentStatusFields, now: string): Promise<void>;
  setCarrierDetails(storeId: string, id: string, details: CarrierDetails, now: string): Promise<void>;
  /** Sets which carrier tracks the parcel and how sure we are of it. */
  setShipmentCarrier(
    storeId: string,
    id: string,
    carrier: string,
    confidence: CarrierConfidence,
    now: string,
  ): Promise<void>;
}

export interface TrackingEventStore {
  /** Appends; events with a dedupe key the shipment already has are skipped. Returns how many were new. */
  appendEvents(storeId: string, shipmentId: string, events: NewTrackingEvent[], now: string): Promise<number>;
  listEventsForShipment(shipmentId: string): Promise<TrackingEvent[]>;
  listEventsForShipments(shipmentIds: string[]): Promise<TrackingEvent[]>;
}

export interface StatusJournal {
  recordStatusChanges(changes: NewStatusChange[]): Promise<void>;
  listStatusChanges(storeId: string, entityIds: string[]): Promise<StatusChange[]>;
}

export type Stores = {
  stores: StoreStore;
  orders: OrderStore;
  shipments: ShipmentStore;
  events: TrackingEventStore;
  journal: StatusJournal;
  apiKeys: ApiKeyStore;
  inbox: InboxStore;
  cursors: SyncCursorStore;
  notifications: NotificationStore;
  writeBacks: PlatformWriteBackStore;
  deliveryIntelligence: DeliveryIntelligenceStore;
  users: DashboardUserStore;
  invitations: InvitationStore;
};

/** The use case decides where a transaction begins; repositories never do. */
export interface UnitOfWork {
  readonly repositories: Stores;
  transaction<T>(work: (stores: Stores) => Promise<T>): Promise<T>;
}

export interface ApiKeyStore {
  /** The store a key belongs to, when the key exists and is not revoked. */
  findStoreIdForKey(key: string): Promise<{ keyId: string; storeId: string } | undefined>;
  touchApiKey(keyId: string, now: string): Promise<void>;
}

export type AcceptedWebhook = {
  storeId: string | null;
  source: string;
  topic: string | null;
  /** The provider's delivery id when it sends one; otherwise the body hash stands in. */
  providerEventId: string | null;
  headers: Record<string, string>;
  rawBody: string;
};

/** The inbox: a delivery is committed here before the 2xx, processed after. */
export interface InboxStore {
  /** Stores a delivery; a redelivery of the same one is recognised and not stored twice. */
  acceptWebhook(input: AcceptedWebhook, now: string): Promise<{ id: string; duplicate: boolean }>;
  /** Stores many deliveries in one commit; receipts in input order, repeats within the batch are duplicates. */
  acceptWebhooks(inputs: readonly AcceptedWebhook[], now: string): Promise<Array<{ id: string; duplicate: boolean }>>;
}

export type NewNotification = {
  storeId: string;
  orderId: string | null;
  shipmentId: string | null;
  milestone: string;
  channel: string;
  recipient: string | null;
  idempotencyKey: string;
  state: 'planned' | 'suppressed' | 'held' | 'sending' | 'sent' | 'failed' | 'dead';
  /** Why a suppressed row will not be sent. */
  reason: string | null;
  payload: Record<string, unknown>;
};

export type NotificationRecord = NewNotification & {
  id: string;
  attempts: number;
  nextAttemptAt: string | null;
  providerMessageId: string | null;
  sentAt: string | null;
  createdAt: string;
  updatedAt: string;
};

/** The outbox and the ledger: one row per message that should exist. */
export interface NotificationStore {
  findNotification(id: string): Promise<NotificationRecord | undefined>;
  /** Moves a claimed row to `sending` before the provider call (committed on its own). */
  markSending(id: string, owner: string, now: string): Promise<boolean>;
  /** The provider answered with a failure: the outcome is known, so the row may be retried. */
  resetSending(id: string, now: string): Promise<void>;
  optOut(storeId: string, channel: string, recipient: string, now: string): Promise<void>;
  isOptedOut(storeId: string, channel: string, recipient: string): Promise<boolean>;
  /** Inserts rows whose idempotency key is new; returns how many were new. */
  planNotifications(rows: NewNotification[], now: string): Promise<number>;
  listNotificationsForOrder(storeId: string, orderId: string): Promise<NotificationRecord[]>;
}

export type Readiness = { ok: true } | { ok: false; reason: string };

export interface HealthCheck {
  /** Database reachable and every known migration applied. */
  checkReadiness(): Promise<Readiness>;
}
