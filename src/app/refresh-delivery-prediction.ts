import { deliveryTimeZone, lateFromDate, promiseDate } from '../core/intelligence/alerts.js';
import { localDate } from '../core/intelligence/calendar.js';
import {
  destinationArea,
  HISTORY_MAX_AGE_DAYS,
  HISTORY_SAMPLE_LIMIT,
  isPredictable,
  LANE_LEVELS,
  laneKeyOf,
  originArea,
  predictDelivery,
  predictFromCarrier,
  predictFromHistory,
  transitSampleOf,
  type DeliveryPrediction,
  type PredictionContext,
} from '../core/intelligence/predict-delivery.js';
import type { Order } from '../core/order/order.js';
import type { CarrierDetails, ShipmentStatusFields, Stores } from '../core/ports/storage.port.js';
import type { Shipment, TrackingEvent } from '../core/shipment/shipment.js';
import type { Store } from '../core/store/store.js';

const DAY_MS = 86_400_000;

export type PredictionRefreshInput = {
  /** The shipment as it was read before this change. */
  shipment: Shipment;
  /** The reducer's result when new events were applied; null when only carrier details changed. */
  after: ShipmentStatusFields | null;
  /** The carrier facts written in this change (the EDD among them). */
  carrierDetails: CarrierDetails | undefined;
  order: Order;
  /** The shipment's whole event history when the caller already read it (the origin comes from it). */
  events: readonly TrackingEvent[] | null;
  now: string;
  /** The shipment's store when the caller already read it (its time zone), saving a read. */
  store?: Store;
};

/**
 * Keeps a shipment's delivery estimate current, inside the transaction that
 * applies its tracking news. Kept cheap for the hot path: nothing at all when
 * neither the status nor the carrier's EDD moved and today's estimate exists;
 * otherwise one store read, at most three bounded sample reads (usually one)
 * and one update. A parcel that has just been delivered adds its transit time
 * to its lane's history instead.
 */
export async function refreshDeliveryPrediction(stores: Stores, input: PredictionRefreshInput): Promise<void> {
  const { shipment, after, order, now } = input;
  const current = {
    ...shipment,
    ...(after ?? {}),
    // The same rule the caller writes by: the first EDD is the first one the carrier ever gave.
    carrierEddFirst:
      shipment.carrierEddFirst ??
      input.carrierDetails?.carrierEddFirst ??
      input.carrierDetails?.carrierEddLatest ??
      null,
    carrierEddLatest: input.carrierDetails?.carrierEddLatest ?? shipment.carrierEddLatest,
  };
  const statusChanged = current.status !== shipment.status;
  const eddChanged = current.carrierEddLatest !== shipment.carrierEddLatest;
  if (!statusChanged && !eddChanged && after === null) return;

  const intelligence = stores.deliveryIntelligence;
  if (current.status === 'delivered') {
    if (statusChanged) await recordDelivery(stores, input, current);
    return;
  }
  if (!isPredictable(current.status)) {
    // A parcel waiting at a pickup point or finished has no date to keep; nor is it "late" any more.
    if (statusChanged)
      await intelligence.savePrediction(
        shipment.storeId,
        shipment.id,
        { prediction: null, lateFrom: null, predictedAt: now },
        now,
      );
    return;
  }

  const store = await storeOf(stores, input);
  if (!store) return;
  const timeZone = deliveryTimeZone(order.shippingAddress, store.timeZone);
  const today = localDate(now, timeZone);
  if (!statusChanged && !eddChanged) {
    // More scans of the same leg: the estimate only needs redoing once a day (it follows elapsed time).
    const stored = await intelligence.findPrediction(shipment.storeId, shipment.id);
    if (stored?.predictedAt && localDate(stored.predictedAt, timeZone) === today) return;
  }

  const context: PredictionContext = {
    now,
    timeZone,
    status: current.status,
    shippedAt: current.shippedAt,
    firstScanAt: current.firstScanAt,
    carrierEddLatest: current.carrierEddLatest,
  };
  const prediction =
    current.status === 'out_for_delivery'
      ? predictDelivery({ ...context, history: [] })
      : await predictFromLaneHistory(stores, input, context);
  const lateFrom = lateFromDate({
    promise: promiseDate(order.promisedDeliveryDate, current.carrierEddFirst),
    predictedEarliest: prediction?.earliest ?? null,
    today,
  });
  await intelligence.savePrediction(shipment.storeId, shipment.id, { prediction, lateFrom, predictedAt: now }, now);
}

function storeOf(stores: Stores, input: PredictionRefreshInput): Promise<Store | undefined> {
  const held = input.store;
  return held?.id === input.shipment.storeId
    ? Promise.resolve(held)
    : stores.stores.findStoreById(input.shipment.storeId);
}

async function laneOf(stores: Stores, input: PredictionRefreshInput) {
  const events = input.events ?? (await stores.events.listEventsForShipment(input.shipment.id));
  return laneKeyOf({
    storeId: input.shipment.storeId,
    carrier: input.shipment.carrier,
    service: input.shipment.service,
    originArea: originArea(events),
    destinationArea: destinationArea(input.order.shippingAddress),
  });
}

/** The most specific lane level with enough history, read one level at a time so a known lane costs one query. */
async function predictFromLaneHistory(
  stores: Stores,
  input: PredictionRefreshInput,
  context: PredictionContext,
): Promise<DeliveryPrediction | null> {
  const lane = await laneOf(stores, input);
  const deliveredSince = new Date(Date.parse(input.now) - HISTORY_MAX_AGE_DAYS * DAY_MS).toISOString();
  for (const level of LANE_LEVELS) {
    const samples = await stores.deliveryIntelligence.listTransitSamples(lane, level, {
      deliveredSince,
      limit: HISTORY_SAMPLE_LIMIT,
    });
    const prediction = predictFromHistory(context, { level, samples });
    if (prediction) return prediction;
  }
  return predictFromCarrier(context);
}

async function recordDelivery(
  stores: Stores,
  input: PredictionRefreshInput,
  current: Pick<Shipment, 'shippedAt' | 'firstScanAt' | 'deliveredAt'>,
): Promise<void> {
  const store = await storeOf(stores, input);
  if (!store || !current.deliveredAt) return;
  const sample = transitSampleOf(current, deliveryTimeZone(input.order.shippingAddress, store.timeZone));
  if (!sample) return;
  await stores.deliveryIntelligence.recordTransitSample(
    {
      storeId: input.shipment.storeId,
      shipmentId: input.shipment.id,
      lane: await laneOf(stores, input),
      sample,
      deliveredAt: current.deliveredAt,
    },
    input.now,
  );
}
