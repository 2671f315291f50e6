import type { IncidentReason, ShippingStatus, Substatus, TrackerState } from '../shipment/shipping-status.js';

/**
 * Read-only queries of the merchant dashboard: the attention queue and
 * analytics. Each is bounded (a limit, a date range) and served by indexes.
 */

/** A parcel whose own status or tracker says something is wrong (from storage). */
export type ProblemShipmentRow = {
  shipmentId: string;
  orderId: string;
  orderNumber: string;
  carrier: string | null;
  trackingNumber: string;
  status: ShippingStatus;
  substatus: Substatus;
  reason: IncidentReason | null;
  trackerState: TrackerState;
  /** When the problem began, as well as storage knows it. */
  since: string;
};

export type AttentionQueries = {
  /** Parcels in exception, failed attempt, failure or returning, oldest first. */
  listProblemShipments(storeId: string, limit: number): Promise<ProblemShipmentRow[]>;
  /** Parcels whose tracker is in an error state (invalid number, credentials, unsupported carrier). */
  listTrackerErrors(storeId: string, limit: number): Promise<ProblemShipmentRow[]>;
};

/** A period of analytics: instants, `from` included, `to` excluded. */
export type AnalyticsRange = { from: string; to: string };

export type StatusPerDay = { day: string; status: string; count: number };
export type TransitBucket = { carrier: string | null; service: string | null; days: number; count: number };
export type OnTimeRow = { carrier: string | null; delivered: number; withPromise: number; onTime: number };
export type ExceptionReasonRow = { status: string; substatus: string; reason: string | null; shipments: number };
export type NotificationCountRow = { milestone: string; channel: string; state: string; count: number };

export type AnalyticsQueries = {
  /** Orders placed per UTC day, by order status. */
  ordersByStatusPerDay(storeId: string, range: AnalyticsRange): Promise<StatusPerDay[]>;
  /** Parcels created per UTC day, by their shipping status now. */
  shipmentsByStatusPerDay(storeId: string, range: AnalyticsRange): Promise<StatusPerDay[]>;
  /** Parcels delivered in the period, by carrier, service and whole days from first scan (or shipping) to delivery. */
  transitTimes(storeId: string, range: AnalyticsRange): Promise<TransitBucket[]>;
  /** Parcels delivered in the period, by carrier: how many had a promise, how many met it. */
  onTimeRates(storeId: string, range: AnalyticsRange): Promise<OnTimeRow[]>;
  /** Parcels with a problem event in the period, by status, substatus and reason. */
  exceptionsByReason(storeId: string, range: AnalyticsRange): Promise<ExceptionReasonRow[]>;
  /** Notifications planned in the period, by milestone, channel and state. */
  notificationsByMilestone(storeId: string, range: AnalyticsRange): Promise<NotificationCountRow[]>;
};
