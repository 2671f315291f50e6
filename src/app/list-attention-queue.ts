import type { Clock } from '../core/ports/clock.port.js';
import type { UnitOfWork } from '../core/ports/storage.port.js';
import type { AttentionQueries, ProblemShipmentRow } from '../core/ports/dashboard-queries.port.js';
import type { ShippingStatus, TrackerState } from '../core/shipment/shipping-status.js';
import { listDeliveryAlerts } from './list-delivery-alerts.js';

export type { AttentionQueries, ProblemShipmentRow };

/** Why an order or parcel is in the queue. */
export const AttentionKind = {
  Exception: 'exception',
  AttemptFailed: 'attempt_failed',
  Failure: 'failure',
  ReturnToSender: 'return_to_sender',
  InvalidNumber: 'invalid_tracking_number',
  CredentialsMissing: 'carrier_credentials_missing',
  UnsupportedCarrier: 'carrier_unsupported',
  Stalled: 'stalled_in_transit',
  FulfillmentDelayed: 'fulfillment_delayed',
  PredictedLate: 'predicted_late',
} as const;
export type AttentionKind = (typeof AttentionKind)[keyof typeof AttentionKind];
export const ATTENTION_KINDS = Object.values(AttentionKind);

export function isAttentionKind(value: unknown): value is AttentionKind {
  return typeof value === 'string' && (ATTENTION_KINDS as readonly string[]).includes(value);
}

/** The suggested next step per kind: what a merchant does about it. */
export const NEXT_STEP: Readonly<Record<AttentionKind, string>> = {
  exception:
    'Read the carrier event below the parcel; if the customer must act (address, customs papers, fees), tell them.',
  attempt_failed: 'Remind the customer to rebook the delivery or collect the parcel before it goes back.',
  failure: 'Open a claim with the carrier, then offer the customer a replacement or a refund.',
  return_to_sender: 'Contact the customer: reship to a corrected address or refund once the parcel is back.',
  invalid_tracking_number: 'Check the tracking number on the platform, or correct the carrier on the parcel.',
  carrier_credentials_missing: "Add this carrier's API credentials in Settings → Carriers, then refresh tracking.",
  carrier_unsupported: 'Correct the carrier if it was misread; otherwise follow the parcel on the carrier site.',
  stalled_in_transit: 'Ask the carrier for a trace, then let the customer know it is being looked into.',
  fulfillment_delayed: 'Ship the order, or tell the customer about the delay before they ask.',
  predicted_late: 'Warn the customer that the parcel will arrive after the promised date.',
};

export type AttentionItem = {
  kind: AttentionKind;
  orderId: string;
  orderNumber: string;
  shipmentId: string | null;
  carrier: string | null;
  trackingNumber: string | null;
  status: ShippingStatus | null;
  /** What exactly: the substatus and reason, or the alert's facts. */
  detail: string | null;
  since: string;
};

/** The computed alerts (stalled, fulfilment delayed, predicted late), from delivery intelligence. */
export type AlertSource = (storeId: string, limitPerKind: number) => Promise<AttentionItem[]>;

const TRACKER_KIND: Partial<Record<TrackerState, AttentionKind>> = {
  error_invalid_number: 'invalid_tracking_number',
  error_carrier_auth: 'carrier_credentials_missing',
  error_unsupported_carrier: 'carrier_unsupported',
};

function words(code: string | null): string | null {
  return code ? code.replace(/_/g, ' ') : null;
}

function fromProblem(row: ProblemShipmentRow): AttentionItem {
  const kind = row.status as AttentionKind;
  const detail = [words(row.substatus), row.reason ? `(${words(row.reason)})` : null].filter(Boolean).join(' ');
  return {
    kind,
    orderId: row.orderId,
    orderNumber: row.orderNumber,
    shipmentId: row.shipmentId,
    carrier: row.carrier,
    trackingNumber: row.trackingNumber,
    status: row.status,
    detail: detail.length > 0 ? detail : null,
    since: row.since,
  };
}

function fromTrackerError(row: ProblemShipmentRow): AttentionItem | null {
  const kind = TRACKER_KIND[row.trackerState];
  if (!kind) return null;
  return {
    kind,
    orderId: row.orderId,
    orderNumber: row.orderNumber,
    shipmentId: row.shipmentId,
    carrier: row.carrier,
    trackingNumber: row.trackingNumber,
    status: row.status,
    detail: null,
    since: row.since,
  };
}

/** Delivery intelligence's live alerts as queue items (`arriving_today` is good news, not a problem). */
export function deliveryAlertSource(deps: { uow: UnitOfWork; clock: Clock }): AlertSource {
  return async (storeId, limitPerKind) => {
    const list = await listDeliveryAlerts(deps, storeId, {
      limitPerKind,
      kinds: ['fulfillment_delayed', 'stalled_in_transit', 'predicted_late'],
    });
    const items: AttentionItem[] = [];
    for (const kind of ['fulfillment_delayed', 'stalled_in_transit', 'predicted_late'] as const) {
      for (const alert of list.groups[kind].items) {
        const d = alert.details;
        const detail =
          kind === 'fulfillment_delayed'
            ? `due to ship by ${String(d.shipBy ?? '?').slice(0, 10)}`
            : kind === 'stalled_in_transit'
              ? `no scan since ${String(d.lastScanAt ?? '?').slice(0, 10)}`
              : `promised ${String(d.promisedDate ?? '?')}, predicted ${String(d.predictedEdd ?? '?')}`;
        items.push({
          kind,
          orderId: alert.orderId,
          orderNumber: alert.orderNumber,
          shipmentId: alert.shipmentId,
          carrier: alert.carrier,
          trackingNumber: alert.trackingNumber,
          status: null,
          detail: alert.raisedAt ? `${detail}; customer told` : detail,
          since: alert.since,
        });
      }
    }
    return items;
  };
}

export type AttentionQueue = {
  items: AttentionItem[];
  counts: Record<AttentionKind, number>;
  /** True when a source had more than it returned: the oldest are shown. */
  truncated: boolean;
  alertsIncluded: boolean;
};

/**
 * Everything that needs the merchant now, oldest first: parcels whose carrier
 * reports a problem, trackers that cannot work, and the computed alerts. Each
 * source is read with a limit, so the page costs a few bounded queries however
 * large the store.
 */
export async function listAttentionQueue(
  deps: { queries: AttentionQueries; alerts?: AlertSource | undefined },
  storeId: string,
  options: { kind?: AttentionKind | null; limit?: number } = {},
): Promise<AttentionQueue> {
  const limit = options.limit ?? 200;
  const [problems, trackerErrors, alerts] = await Promise.all([
    deps.queries.listProblemShipments(storeId, limit + 1),
    deps.queries.listTrackerErrors(storeId, limit + 1),
    deps.alerts ? deps.alerts(storeId, limit + 1) : Promise.resolve([]),
  ]);
  const truncated = problems.length > limit || trackerErrors.length > limit || alerts.length > limit;
  const all = [
    ...problems.slice(0, limit).map(fromProblem),
    ...trackerErrors.slice(0, limit).flatMap((row) => fromTrackerError(row) ?? []),
    ...alerts.slice(0, limit * 3),
  ].sort((a, b) => (a.since < b.since ? -1 : a.since > b.since ? 1 : 0));
  const counts = Object.fromEntries(ATTENTION_KINDS.map((k) => [k, 0])) as Record<AttentionKind, number>;
  for (const item of all) counts[item.kind] += 1;
  const items = options.kind ? all.filter((item) => item.kind === options.kind) : all;
  return {
    items: items.slice(0, limit),
    counts,
    truncated: truncated || items.length > limit,
    alertsIncluded: !!deps.alerts,
  };
}
