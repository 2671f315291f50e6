import { DomainError, ErrorCode } from '../core/errors.js';
import { rollUpShippingSummary } from '../core/order/roll-up-shipping-summary.js';
import type { ShippingSummary } from '../core/order/shipping-summary.js';
import type { Clock } from '../core/ports/clock.port.js';
import type {
  CarrierDetails,
  ChangeCause,
  NewStatusChange,
  NewTrackingEvent,
  ShipmentStatusFields,
  Stores,
  UnitOfWork,
} from '../core/ports/storage.port.js';
import { detectOrderMilestones, detectShipmentMilestones } from '../core/notification/detect-milestones.js';
import { reduceShipmentStatus } from '../core/shipment/reduce-shipment-status.js';
import { planMilestoneNotifications } from './plan-milestone-notifications.js';
import { refreshDeliveryPrediction } from './refresh-delivery-prediction.js';
import { planPlatformWriteBack } from './plan-platform-write-back.js';
import type { ShippingStatus } from '../core/shipment/shipping-status.js';
import type { Shipment } from '../core/shipment/shipment.js';

export type RecordTrackingInput = {
  storeId: string;
  shipmentId: string;
  events: NewTrackingEvent[];
  cause: ChangeCause;
  causeRef?: string | null;
  /** Facts about the parcel that are not events: carrier EDD, signature, tracker health, next check. */
  carrierDetails?: CarrierDetails;
};

export type ShipmentStatusSnapshot = Pick<Shipment, 'status' | 'substatus' | 'attemptNumber'>;

export type RecordTrackingOutcome = {
  newEvents: number;
  before: ShipmentStatusSnapshot;
  after: ShipmentStatusSnapshot;
  statusChanged: boolean;
  summaryBefore: ShippingSummary;
  summaryAfter: ShippingSummary;
};

const STATUS_FIELDS = [
  'status',
  'substatus',
  'reason',
  'actionRequired',
  'attemptNumber',
  'shippedAt',
  'firstScanAt',
  'outForDeliveryAt',
  'deliveredAt',
  'exceptionAt',
  'lastEventAt',
] as const satisfies readonly (keyof ShipmentStatusFields)[];

/**
 * Applies carrier news to a shipment in one transaction: append the events
 * (duplicates skipped), recompute the status from the whole history (the
 * reducer is the only writer of the status), journal what changed, and roll
 * the order's shipping summary up again.
 */
export async function recordTrackingEvents(
  deps: { uow: UnitOfWork; clock: Clock },
  input: RecordTrackingInput,
): Promise<RecordTrackingOutcome> {
  return deps.uow.transaction((stores) => recordTrackingEventsWithin(stores, deps.clock, input));
}

/** The same, inside a transaction the caller already holds. */
export async function recordTrackingEventsWithin(
  stores: Stores,
  clock: Clock,
  input: RecordTrackingInput,
): Promise<RecordTrackingOutcome> {
  const now = clock.now();
  {
    const shipment = await stores.shipments.findShipmentById(input.storeId, input.shipmentId);
    if (!shipment) throw new DomainError(ErrorCode.NotFound, 'shipment not found');
    const before: ShipmentStatusSnapshot = {
      status: shipment.status,
      substatus: shipment.substatus,
      attemptNumber: shipment.attemptNumber,
    };

    const newEvents =
      input.events.length > 0 ? await stores.events.appendEvents(input.storeId, shipment.id, input.events, now) : 0;
    if (input.carrierDetails) {
      // The first EDD the carrier ever gave is kept beside the latest: "promised vs delivered" needs both.
      const details = { ...input.carrierDetails };
      if (details.carrierEddLatest && !shipment.carrierEddFirst) details.carrierEddFirst = details.carrierEddLatest;
      await stores.shipments.setCarrierDetails(input.storeId, shipment.id, details, now);
    }

    const order = await stores.orders.findOrderById(input.storeId, shipment.orderId);
    if (!order) throw new DomainError(ErrorCode.NotFound, 'order of shipment not found');
    if (newEvents === 0) {
      await refreshDeliveryPrediction(stores, {
        shipment,
        after: null,
        carrierDetails: input.carrierDetails,
        order,
        events: null,
        now,
      });
      return {
        newEvents,
        before,
        after: before,
        statusChanged: false,
        summaryBefore: order.shippingSummary,
        summaryAfter: order.shippingSummary,
      };
    }

    const history = await stores.events.listEventsForShipment(shipment.id);
    const reduced = reduceShipmentStatus(history);
    const fields: ShipmentStatusFields = {
      status: reduced.status,
      substatus: reduced.substatus,
      reason: reduced.reason,
      actionRequired: reduced.actionRequired,
      attemptNumber: reduced.attemptNumber,
      // The platform's fulfilment time stands until a carrier scan says otherwise.
      shippedAt: shipment.shippedAt ?? reduced.shippedAt,
      firstScanAt: reduced.firstScanAt,
      outForDeliveryAt: reduced.outForDeliveryAt,
      deliveredAt: reduced.deliveredAt,
      exceptionAt: reduced.exceptionAt,
      lastEventAt: reduced.lastEventAt,
    };
    if (STATUS_FIELDS.some((key) => fields[key] !== shipment[key])) {
      await stores.shipments.setShipmentStatus(input.storeId, shipment.id, fields, now);
    }

    const changes: NewStatusChange[] = [];
    const journal = { storeId: input.storeId, cause: input.cause, causeRef: input.causeRef ?? null, at: now };
    const statusChanged = fields.status !== before.status || fields.substatus !== before.substatus;
    if (statusChanged) {
      changes.push({
        ...journal,
        entityType: 'shipment',
        entityId: shipment.id,
        field: 'shipping_status',
        from: `${before.status}/${before.substatus}`,
        to: `${fields.status}/${fields.substatus}`,
      });
    }

    let summaryAfter = order.shippingSummary;
    // The order's parcels with this one's new status; read once, also for the order-level milestones below.
    let statuses: { status: ShippingStatus }[] = [];
    if (statusChanged) {
      const siblings = await stores.shipments.listShipmentsForOrders([order.id]);
      statuses = siblings.map((s) => (s.id === shipment.id ? { status: fields.status } : { status: s.status }));
      summaryAfter = rollUpShippingSummary(order.orderStatus, statuses);
      if (summaryAfter !== order.shippingSummary) {
        await stores.orders.setShippingSummary(input.storeId, order.id, summaryAfter, now);
        changes.push({
          ...journal,
          entityType: 'order',
          entityId: order.id,
          field: 'shipping_summary',
          from: order.shippingSummary,
          to: summaryAfter,
        });
      }
    }
    await stores.journal.recordStatusChanges(changes);

    const after = { status: fields.status, substatus: fields.substatus, attemptNumber: fields.attemptNumber };
    // A status change needs the store for its messages and its delivery prediction: read it once for both.
    const store = statusChanged ? await stores.stores.findStoreById(input.storeId) : undefined;
    if (statusChanged) await planPlatformWriteBack(stores, { storeId: input.storeId, shipmentId: shipment.id, now });
    const shipmentMilestones = detectShipmentMilestones(before, after);
    await planMilestoneNotifications(stores, {
      storeId: input.storeId,
      orderId: order.id,
      order,
      ...(store ? { store } : {}),
      shipmentId: shipment.id,
      subject: 'shipment',
      milestones: shipmentMilestones,
      happenedAt: reduced.lastEventAt,
      now,
    });
    if (summaryAfter !== order.shippingSummary) {
      const counted = statuses.filter((s) => s.status !== 'cancelled').length;
      await planMilestoneNotifications(stores, {
        storeId: input.storeId,
        orderId: order.id,
        order,
        ...(store ? { store } : {}),
        shipmentId: null,
        subject: 'order',
        milestones: detectOrderMilestones(
          { orderStatus: order.orderStatus, shippingSummary: order.shippingSummary, shipmentCount: counted },
          { orderStatus: order.orderStatus, shippingSummary: summaryAfter, shipmentCount: counted },
        ),
        happenedAt: reduced.lastEventAt,
        now,
      });
    }

    await refreshDeliveryPrediction(stores, {
      shipment,
      after: fields,
      carrierDetails: input.carrierDetails,
      order,
      events: history,
      now,
      ...(store ? { store } : {}),
    });
    return {
      newEvents,
      before,
      after: { status: fields.status, substatus: fields.substatus, attemptNumber: fields.attemptNumber },
      statusChanged,
      summaryBefore: order.shippingSummary,
      summaryAfter,
    };
  }
}
