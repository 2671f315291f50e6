import { DELIVERY_ALERT_KINDS, type DeliveryAlertKind, type DetectedAlert } from '../core/intelligence/alerts.js';
import { DomainError, ErrorCode } from '../core/errors.js';
import type { Clock } from '../core/ports/clock.port.js';
import type {
  AlertOrderCandidate,
  AlertShipmentCandidate,
  CandidateQuery,
} from '../core/ports/delivery-intelligence.port.js';
import type { UnitOfWork } from '../core/ports/storage.port.js';
import { alertScanPlan } from './plan-scheduled-alerts.js';

export type DeliveryAlertItem = {
  kind: DeliveryAlertKind;
  orderId: string;
  orderNumber: string;
  shipmentId: string | null;
  carrier: string | null;
  trackingNumber: string | null;
  /** When the alert became true. */
  since: string;
  /** Per kind: shipBy/placedAt, lastScanAt/days, promisedDate/predictedEdd, expectedDate/confidence. */
  details: Record<string, string | number | null>;
  /** When the scheduled scan raised it and planned the customer's messages; null until then. */
  raisedAt: string | null;
};

export type DeliveryAlertGroup = { items: DeliveryAlertItem[]; truncated: boolean };

export type DeliveryAlertList = {
  storeId: string;
  generatedAt: string;
  groups: Record<DeliveryAlertKind, DeliveryAlertGroup>;
};

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;
const PAGE_SIZE = 200;

/**
 * What needs the merchant's attention now, per alert: orders not shipped in
 * time, parcels stalled in transit, parcels predicted late, parcels expected
 * today — oldest first, at most `limitPerKind` each. Computed live from the
 * same indexed ranges and pure rules as the scheduled scan, so the dashboard
 * shows the current state even between scans (a parcel that moved again drops
 * off at once); `raisedAt` tells whether the customer has been told.
 */
export async function listDeliveryAlerts(
  deps: { uow: UnitOfWork; clock: Clock },
  storeId: string,
  options: { limitPerKind?: number; kinds?: DeliveryAlertKind[] } = {},
): Promise<DeliveryAlertList> {
  const stores = deps.uow.repositories;
  const store = await stores.stores.findStoreById(storeId);
  if (!store) throw new DomainError(ErrorCode.NotFound, 'store not found');
  const now = deps.clock.now();
  const limit = Math.min(MAX_LIMIT, Math.max(1, Math.floor(options.limitPerKind ?? DEFAULT_LIMIT)));
  const wanted = new Set(options.kinds ?? DELIVERY_ALERT_KINDS);
  const plan = alertScanPlan(stores.deliveryIntelligence, store, now);

  const groups = Object.fromEntries(
    DELIVERY_ALERT_KINDS.map((kind) => [kind, { items: [], truncated: false }]),
  ) as unknown as Record<DeliveryAlertKind, DeliveryAlertGroup>;
  // A kind may have several sources (a parcel late by prediction and by a passed promise): each subject once.
  const listed = new Set<string>();
  for (const { kind, fetch, detect } of plan.sources) {
    if (!wanted.has(kind)) continue;
    const group = groups[kind];
    let after: CandidateQuery['after'] = null;
    do {
      const page = await fetch({ limit: PAGE_SIZE, after, excludeRaised: false });
      for (const row of page.rows) {
        const alert = detect(row);
        const key = `${kind}:${alert?.shipmentId ?? alert?.orderId}`;
        if (!alert || listed.has(key)) continue;
        if (group.items.length === limit) {
          group.truncated = true;
          break;
        }
        listed.add(key);
        group.items.push(toItem(alert, row));
      }
      after = group.truncated ? null : page.next;
    } while (after);
  }

  const subjectIds = DELIVERY_ALERT_KINDS.flatMap((kind) =>
    groups[kind].items.map((item) => item.shipmentId ?? item.orderId),
  );
  const raised = new Map(
    (await stores.deliveryIntelligence.listRaisedAlerts(storeId, [...new Set(subjectIds)])).map((mark) => [
      `${mark.subjectId}:${mark.milestone}`,
      mark.raisedAt,
    ]),
  );
  for (const kind of DELIVERY_ALERT_KINDS) {
    for (const item of groups[kind].items) {
      item.raisedAt = raised.get(`${item.shipmentId ?? item.orderId}:${kind}`) ?? null;
    }
  }
  return { storeId, generatedAt: now, groups };
}

function toItem(alert: DetectedAlert, row: AlertOrderCandidate | AlertShipmentCandidate): DeliveryAlertItem {
  const shipment = 'shipmentId' in row ? row : null;
  return {
    kind: alert.milestone,
    orderId: alert.orderId,
    orderNumber: row.orderNumber,
    shipmentId: alert.shipmentId,
    carrier: shipment?.carrier ?? null,
    trackingNumber: shipment?.trackingNumber ?? null,
    since: alert.since,
    details: alert.details,
    raisedAt: null,
  };
}
