import { resolveCarrier } from '../core/detection/index.js';
import { rollUpShippingSummary } from '../core/order/roll-up-shipping-summary.js';
import type { Clock } from '../core/ports/clock.port.js';
import { DELETED_ON_PLATFORM, type PlatformOrder } from '../core/ports/platform.port.js';
import type { ChangeCause, NewStatusChange, OrderFields, Stores } from '../core/ports/storage.port.js';
import { detectOrderMilestones, detectShipmentMilestones } from '../core/notification/detect-milestones.js';
import type { Store } from '../core/store/store.js';
import { planMilestoneNotifications } from './plan-milestone-notifications.js';
import { recordTrackingEventsWithin } from './record-tracking-events.js';

export type IngestOutcome = {
  orderId: string;
  created: boolean;
  /** The update was older than what is stored and changed nothing but (possibly) new parcels. */
  stale: boolean;
  newShipmentIds: string[];
};

export { DELETED_ON_PLATFORM };

function toFields(order: PlatformOrder, shippingSummary: OrderFields['shippingSummary']): OrderFields {
  return {
    externalId: order.externalId,
    number: order.number,
    orderStatus: order.orderStatus,
    financialStatus: order.financialStatus,
    platformStatus: order.platformStatus,
    cancelReason: order.cancelReason,
    customer: order.customer,
    shippingAddress: { ...order.shippingAddress, country: order.shippingAddress.country?.toUpperCase() ?? null },
    lineItems: order.lineItems,
    promisedDeliveryDate: order.promisedDeliveryDate,
    placedAt: order.placedAt,
    platformUpdatedAt: order.platformUpdatedAt,
    shippingSummary,
  };
}

/**
 * Applies an order as the platform (or an API client) describes it, inside
 * the caller's transaction. The platform's `updated_at` orders updates: an
 * older one never overwrites newer data, whatever order deliveries arrive in.
 * Parcels are only ever added — a late duplicate finds its shipment by order
 * and tracking number — and a fulfilment cancelled on the platform voids its
 * parcels through a platform event, so the status reducer stays the only
 * writer of shipping status.
 */
export async function ingestPlatformOrder(
  stores: Stores,
  deps: { clock: Clock },
  storeId: string,
  order: PlatformOrder,
  origin: { cause: ChangeCause; causeRef?: string | null },
  /** The store when the caller has just read it, saving the read for its notification settings. */
  known: { store?: Store } = {},
): Promise<IngestOutcome> {
  const now = deps.clock.now();
  const existing = await stores.orders.findOrderByExternalId(storeId, order.externalId);
  const stale = Boolean(
    existing?.platformUpdatedAt && Date.parse(order.platformUpdatedAt) < Date.parse(existing.platformUpdatedAt),
  );

  let current = existing;
  if (!current) current = await stores.orders.insertOrder(storeId, toFields(order, 'not_shipped'), now);
  else if (!stale)
    current = await stores.orders.updateOrder(storeId, current.id, toFields(order, current.shippingSummary), now);

  const newShipmentIds: string[] = [];
  const deleted = order.platformStatus[DELETED_ON_PLATFORM] === true;
  for (const parcel of order.shipments) {
    const resolved = resolveCarrier({
      trackingNumber: parcel.trackingNumber,
      carrierName: parcel.carrierName ?? undefined,
    });
    const { shipment, created } = await stores.shipments.insertShipment(
      storeId,
      {
        orderId: current.id,
        externalId: parcel.externalId,
        carrier: resolved.carrier,
        carrierConfidence: resolved.confidence,
        trackingNumber: parcel.trackingNumber,
        service: parcel.service,
        items: parcel.items,
        trackerState: resolved.carrier ? 'active' : 'error_unsupported_carrier',
        shippedAt: parcel.shippedAt ?? order.platformUpdatedAt,
        nextCheckAt: resolved.carrier && !parcel.cancelled && !deleted ? now : null,
        platformShipmentStatus: parcel.platformShipmentStatus,
      },
      now,
    );
    if (created) {
      newShipmentIds.push(shipment.id);
      if (!parcel.cancelled && !deleted) {
        await planMilestoneNotifications(stores, {
          storeId,
          orderId: current.id,
          order: current,
          ...known,
          shipmentId: shipment.id,
          subject: 'shipment',
          milestones: detectShipmentMilestones(null, {
            status: shipment.status,
            substatus: shipment.substatus,
            attemptNumber: shipment.attemptNumber,
          }),
          happenedAt: parcel.shippedAt ?? order.platformUpdatedAt,
          now,
        });
      }
    }
    if (parcel.cancelled && !stale) {
      await recordTrackingEventsWithin(stores, deps.clock, {
        storeId,
        shipmentId: shipment.id,
        cause: origin.cause,
        causeRef: origin.causeRef ?? null,
        events: [
          {
            occurredAt: order.platformUpdatedAt,
            occurredAtLocal: null,
            timeZoneInferred: false,
            sequence: null,
            status: 'cancelled',
            substatus: 'label_voided',
            reason: null,
            description: 'Fulfilment cancelled on the selling platform',
            location: null,
            rawCode: 'fulfillment_cancelled',
            rawStatus: null,
            source: 'platform',
            // One cancellation per parcel, however often the platform repeats it.
            dedupeKey: 'platform:fulfillment_cancelled',
          },
        ],
        carrierDetails: { nextCheckAt: null },
      });
    }
  }

  const shipments = await stores.shipments.listShipmentsForOrders([current.id]);
  const summary = rollUpShippingSummary(current.orderStatus, shipments);
  const changes: NewStatusChange[] = [];
  const journal = {
    storeId,
    entityType: 'order' as const,
    entityId: current.id,
    cause: origin.cause,
    causeRef: origin.causeRef ?? null,
    at: now,
  };
  if (!existing || existing.orderStatus !== current.orderStatus) {
    changes.push({ ...journal, field: 'order_status', from: existing?.orderStatus ?? null, to: current.orderStatus });
  }
  if (existing && existing.financialStatus !== current.financialStatus && current.financialStatus) {
    changes.push({
      ...journal,
      field: 'financial_status',
      from: existing.financialStatus,
      to: current.financialStatus,
    });
  }
  if (summary !== current.shippingSummary) await stores.orders.setShippingSummary(storeId, current.id, summary, now);
  if ((existing?.shippingSummary ?? null) !== summary) {
    changes.push({ ...journal, field: 'shipping_summary', from: existing?.shippingSummary ?? null, to: summary });
  }
  await stores.journal.recordStatusChanges(changes);

  const counted = shipments.filter((s) => s.status !== 'cancelled').length;
  const beforeCounted = existing ? counted - newShipmentIds.length : 0;
  await planMilestoneNotifications(stores, {
    storeId,
    orderId: current.id,
    order: current,
    ...known,
    shipmentId: null,
    subject: 'order',
    milestones: detectOrderMilestones(
      existing
        ? { orderStatus: existing.orderStatus, shippingSummary: existing.shippingSummary, shipmentCount: beforeCounted }
        : null,
      { orderStatus: current.orderStatus, shippingSummary: summary, shipmentCount: counted },
    ),
    happenedAt: order.platformUpdatedAt,
    now,
  });
  return { orderId: current.id, created: !existing, stale, newShipmentIds };
}
