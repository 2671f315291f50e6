import type { EventLocation } from '../shipment/shipment.js';
import type { ShippingStatus, Substatus } from '../shipment/shipping-status.js';
import type { Platform } from '../store/store.js';

/** A shipping status change, as Waymark tells it back to the selling platform. */
export type ShipmentNews = {
  /** The platform's id of the fulfilment / shipment the parcel belongs to (`Shipment.externalId`). */
  shipmentExternalId: string;
  status: ShippingStatus;
  substatus: Substatus | null;
  /** When the carrier says it happened, ISO-8601 with a zone. */
  happenedAt: string;
  message: string | null;
  /** The carrier's latest estimate: an ISO date or instant. */
  estimatedDeliveryAt: string | null;
  location: EventLocation | null;
};

/**
 * What became of one piece of news. Not posted: the platform has no word for
 * the status, or refused it for a reason retrying cannot fix (an unknown
 * fulfilment, a status its API version lacks); `code` says which.
 */
export type WriteBackResult =
  { posted: true; eventId: string; platformStatus: string } | { posted: false; code: string; reason: string };

/**
 * Waymark's carrier news posted to a selling platform (Shopify fulfilment
 * events). Opt-in per store. Throws DomainError `upstream_rate_limited`,
 * `upstream_unavailable`, `upstream_auth_failed`, `upstream_invalid_response`
 * (retried by the caller), `invalid_input` (permanent).
 */
export interface PlatformWriteBack {
  readonly platform: Platform;
  postShipmentNews(news: ShipmentNews): Promise<WriteBackResult>;
}

/** Where a write-back row stands. */
export const WriteBackState = {
  /** Waiting for a worker (or retrying after a throttle or outage). */
  Planned: 'planned',
  Posted: 'posted',
  /** Decided not to post, with the reason (no platform word for the status, a later event already posted…). */
  Skipped: 'skipped',
  /** The platform refused it for good, or retries ran out; the reason is kept. */
  Failed: 'failed',
} as const;
export type WriteBackState = (typeof WriteBackState)[keyof typeof WriteBackState];

export type NewWriteBack = {
  storeId: string;
  shipmentId: string;
  /** One row per key: a status change reported twice is posted once. */
  idempotencyKey: string;
  news: ShipmentNews;
};

export type WriteBackRecord = NewWriteBack & {
  id: string;
  state: WriteBackState;
  /** Why it was skipped or failed, or the last retryable error. */
  lastError: string | null;
  attempts: number;
  nextAttemptAt: string | null;
  platformEventId: string | null;
  platformStatus: string | null;
  postedAt: string | null;
  createdAt: string;
  updatedAt: string;
};

/** The write-back outbox and the per-store opt-in. Implemented in `storage/`. */
export interface PlatformWriteBackStore {
  isWriteBackEnabled(storeId: string): Promise<boolean>;
  /** False when there is no such store. */
  setWriteBackEnabled(storeId: string, enabled: boolean, now: string): Promise<boolean>;
  /** Inserts a row due at once unless its idempotency key exists; true when inserted. */
  planWriteBack(row: NewWriteBack, now: string): Promise<boolean>;
  findWriteBack(id: string): Promise<WriteBackRecord | undefined>;
  /** Whether news about the same platform fulfilment that happened later has already been posted. */
  hasLaterPosted(storeId: string, shipmentExternalId: string, happenedAt: string): Promise<boolean>;
  listWriteBacksForShipment(storeId: string, shipmentId: string): Promise<WriteBackRecord[]>;
}
