import {
  sql,
  type ExpressionBuilder,
  type Kysely,
  type RawBuilder,
  type SelectQueryBuilder,
  type SqlBool,
} from 'kysely';

import type {
  AlertOrderCandidate,
  AlertShipmentCandidate,
  CandidatePage,
  CandidateQuery,
  DeliveryIntelligenceStore,
  KeysetCursor,
  NewTransitSample,
  PredictionUpdate,
  RaisedAlert,
  RaisedAlertMark,
  StoredPrediction,
} from '../../core/ports/delivery-intelligence.port.js';
import type { DeliveryAlertKind } from '../../core/intelligence/alerts.js';
import type {
  LaneKey,
  LaneLevel,
  PredictionBasis,
  PredictionConfidence,
  TransitSample,
} from '../../core/intelligence/predict-delivery.js';
import type { OrderStatus } from '../../core/order/order-status.js';
import type { ShippingSummary } from '../../core/order/shipping-summary.js';
import type { ShippingStatus } from '../../core/shipment/shipping-status.js';
import type { Database } from '../database.js';

/** Statuses in which a parcel can still turn out late (mirrors `detectPredictedLate`, which has the last word). */
const LATE_CAN_APPLY: ShippingStatus[] = [
  'pending',
  'info_received',
  'in_transit',
  'exception',
  'attempt_failed',
  'unknown',
];
const CLOSED_ORDER: OrderStatus[] = ['cancelled', 'refunded'];

const SHIPMENT_CANDIDATE_COLUMNS = [
  's.id as shipment_id',
  's.order_id',
  's.carrier',
  's.tracking_number',
  's.status',
  's.first_scan_at',
  's.last_event_at',
  's.carrier_edd_first',
  's.predicted_edd',
  's.predicted_edd_earliest',
  's.predicted_edd_confidence',
  's.late_from',
  'o.number',
  'o.order_status',
  'o.promised_delivery_date',
  'o.ship_country',
  'o.ship_region',
] as const;

type ShipmentCandidateRow = {
  shipment_id: string;
  order_id: string;
  carrier: string | null;
  tracking_number: string;
  status: string;
  first_scan_at: string | null;
  last_event_at: string | null;
  carrier_edd_first: string | null;
  predicted_edd: string | null;
  predicted_edd_earliest: string | null;
  predicted_edd_confidence: string | null;
  late_from: string | null;
  number: string;
  order_status: string;
  promised_delivery_date: string | null;
  ship_country: string | null;
  ship_region: string | null;
};

function toShipmentCandidate(row: ShipmentCandidateRow): AlertShipmentCandidate {
  return {
    shipmentId: row.shipment_id,
    orderId: row.order_id,
    orderNumber: row.number,
    carrier: row.carrier,
    trackingNumber: row.tracking_number,
    orderStatus: row.order_status as OrderStatus,
    promisedDeliveryDate: row.promised_delivery_date,
    shippingAddress: { country: row.ship_country, region: row.ship_region },
    status: row.status as ShippingStatus,
    firstScanAt: row.first_scan_at,
    lastEventAt: row.last_event_at,
    carrierEddFirst: row.carrier_edd_first,
    predictedEdd: row.predicted_edd,
    predictedEddEarliest: row.predicted_edd_earliest,
    predictedEddConfidence: row.predicted_edd_confidence as PredictionConfidence | null,
    lateFrom: row.late_from,
  };
}

/** Rows after the cursor in (column, id) order: keyset pagination that stays an index range. */
function afterCursor(column: string, idColumn: string, cursor: KeysetCursor): RawBuilder<SqlBool> {
  const value = sql.ref(column);
  const id = sql.ref(idColumn);
  return sql<SqlBool>`(${value} > ${cursor.value} or (${value} = ${cursor.value} and ${id} > ${cursor.id}))`;
}

function pageOf<T>(rows: T[], limit: number, cursorOf: (row: T) => KeysetCursor): CandidatePage<T> {
  const last = rows.at(-1);
  return { rows, next: rows.length === limit && last ? cursorOf(last) : null };
}

/**
 * Storage for delivery intelligence.
 *
 * Lane history is one `delivery_sample` row per delivered parcel, written
 * once when it is delivered, rather than a running statistics row per lane:
 * the write is an append (no hot row that every worker delivering on a busy
 * lane would queue on inside its tracking transaction), and a prediction
 * reads the newest 200 samples of a lane through an index that ends in
 * `delivered_at` — a bounded range, the same cost at 1 M shipments as at 1 k.
 * Percentiles need the samples themselves anyway; a counter table would have
 * to keep a histogram and still could not forget last season.
 */
export class DeliveryIntelligenceRepository implements DeliveryIntelligenceStore {
  constructor(private readonly db: Kysely<Database>) {}

  async recordTransitSample(input: NewTransitSample, now: string): Promise<boolean> {
    const result = await this.db
      .insertInto('delivery_sample')
      .values({
        shipment_id: input.shipmentId,
        store_id: input.storeId,
        carrier: input.lane.carrier,
        service: input.lane.service,
        origin_area: input.lane.originArea,
        destination_area: input.lane.destinationArea,
        days_from_shipped: input.sample.fromShipped,
        days_from_first_scan: input.sample.fromFirstScan,
        delivered_at: input.deliveredAt,
        created_at: now,
      })
      .onConflict((oc) => oc.column('shipment_id').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  async listTransitSamples(
    lane: LaneKey,
    level: LaneLevel,
    options: { deliveredSince: string; limit: number },
  ): Promise<TransitSample[]> {
    let query = this.db
      .selectFrom('delivery_sample')
      .select(['days_from_shipped', 'days_from_first_scan'])
      .where('store_id', '=', lane.storeId)
      .where('carrier', '=', lane.carrier);
    if (level !== 'carrier') query = query.where('service', '=', lane.service);
    if (level === 'lane') {
      query = query.where('origin_area', '=', lane.originArea).where('destination_area', '=', lane.destinationArea);
    }
    const rows = await query
      .where('delivered_at', '>=', options.deliveredSince)
      .orderBy('delivered_at', 'desc')
      .limit(options.limit)
      .execute();
    return rows.map((row) => ({
      fromShipped: row.days_from_shipped === null ? null : Number(row.days_from_shipped),
      fromFirstScan: row.days_from_first_scan === null ? null : Number(row.days_from_first_scan),
    }));
  }

  async findPrediction(storeId: string, shipmentId: string): Promise<StoredPrediction | undefined> {
    const row = await this.db
      .selectFrom('shipment')
      .select([
        'predicted_edd',
        'predicted_edd_earliest',
        'predicted_edd_latest',
        'predicted_edd_confidence',
        'predicted_edd_basis',
        'predicted_edd_samples',
        'predicted_at',
        'late_from',
      ])
      .where('id', '=', shipmentId)
      .where('store_id', '=', storeId)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      predictedEdd: row.predicted_edd,
      earliest: row.predicted_edd_earliest,
      latest: row.predicted_edd_latest,
      confidence: row.predicted_edd_confidence as PredictionConfidence | null,
      basis: row.predicted_edd_basis as PredictionBasis | null,
      sampleCount: row.predicted_edd_samples === null ? null : Number(row.predicted_edd_samples),
      predictedAt: row.predicted_at,
      lateFrom: row.late_from,
    };
  }

  async savePrediction(storeId: string, shipmentId: string, update: PredictionUpdate, now: string): Promise<void> {
    const changes: Record<string, string | number | null> = {
      late_from: update.lateFrom,
      predicted_at: update.predictedAt,
      updated_at: now,
    };
    if (update.prediction !== undefined) {
      const p = update.prediction;
      Object.assign(changes, {
        predicted_edd: p?.date ?? null,
        predicted_edd_earliest: p?.earliest ?? null,
        predicted_edd_latest: p?.latest ?? null,
        predicted_edd_confidence: p?.confidence ?? null,
        predicted_edd_basis: p?.basis ?? null,
        predicted_edd_samples: p ? p.sampleCount : null,
      });
    }
    await this.db
      .updateTable('shipment')
      .set(changes)
      .where('id', '=', shipmentId)
      .where('store_id', '=', storeId)
      .execute();
  }

  async listFulfillmentDelayCandidates(
    storeId: string,
    range: { placedSince: string; placedBefore: string },
    query: CandidateQuery,
  ): Promise<CandidatePage<AlertOrderCandidate>> {
    // Index sales_order_store_status_idx (store_id, order_status, placed_at): one range per store.
    let select = this.db
      .selectFrom('sales_order as o')
      .select(['o.id', 'o.number', 'o.order_status', 'o.shipping_summary', 'o.placed_at'])
      .where('o.store_id', '=', storeId)
      .where('o.order_status', '=', 'processing')
      .where('o.placed_at', '>=', range.placedSince)
      .where('o.placed_at', '<', range.placedBefore)
      .where('o.shipping_summary', '=', 'not_shipped');
    if (query.after) select = select.where(afterCursor('o.placed_at', 'o.id', query.after));
    if (query.excludeRaised) select = select.where(notRaised('o.id', 'fulfillment_delayed'));
    const rows = await select.orderBy('o.placed_at').orderBy('o.id').limit(query.limit).execute();
    return pageOf(
      rows.map((row) => ({
        orderId: row.id,
        orderNumber: row.number,
        orderStatus: row.order_status as OrderStatus,
        shippingSummary: row.shipping_summary as ShippingSummary,
        placedAt: row.placed_at,
      })),
      query.limit,
      (row) => ({ value: row.placedAt, id: row.orderId }),
    );
  }

  async listStalledCandidates(
    storeId: string,
    range: { lastScanSince: string; lastScanBefore: string },
    query: CandidateQuery,
  ): Promise<CandidatePage<AlertShipmentCandidate>> {
    // Index shipment_store_status_last_event_idx (store_id, status, last_event_at).
    let select = this.shipmentCandidates(storeId)
      .where('s.status', '=', 'in_transit')
      .where('s.last_event_at', '>=', range.lastScanSince)
      .where('s.last_event_at', '<=', range.lastScanBefore);
    if (query.after) select = select.where(afterCursor('s.last_event_at', 's.id', query.after));
    if (query.excludeRaised) select = select.where(notRaised('s.id', 'stalled_in_transit'));
    const rows = await select.orderBy('s.last_event_at').orderBy('s.id').limit(query.limit).execute();
    return pageOf(rows.map(toShipmentCandidate), query.limit, (row) => ({
      value: row.lastEventAt ?? '',
      id: row.shipmentId,
    }));
  }

  async listLateCandidates(
    storeId: string,
    range: { lateFromSince: string; lateFromUntil: string },
    query: CandidateQuery,
  ): Promise<CandidatePage<AlertShipmentCandidate>> {
    // Partial index shipment_store_late_from_idx (store_id, late_from) where late_from is not null.
    let select = this.shipmentCandidates(storeId)
      .where('s.late_from', '>=', range.lateFromSince)
      .where('s.late_from', '<=', range.lateFromUntil)
      .where('s.status', 'in', LATE_CAN_APPLY);
    if (query.after) select = select.where(afterCursor('s.late_from', 's.id', query.after));
    if (query.excludeRaised) select = select.where(notRaised('s.id', 'predicted_late'));
    const rows = await select.orderBy('s.late_from').orderBy('s.id').limit(query.limit).execute();
    return pageOf(rows.map(toShipmentCandidate), query.limit, (row) => ({
      value: row.lateFrom ?? '',
      id: row.shipmentId,
    }));
  }

  async listPromiseMissedCandidates(
    storeId: string,
    range: { promisedSince: string; promisedBefore: string },
    query: CandidateQuery,
  ): Promise<CandidatePage<AlertShipmentCandidate>> {
    // Partial index sales_order_store_promised_idx (store_id, promised_delivery_date), then shipment_order_idx.
    let select = this.shipmentCandidates(storeId)
      .where('o.store_id', '=', storeId)
      .where('o.promised_delivery_date', '>=', range.promisedSince)
      .where('o.promised_delivery_date', '<', range.promisedBefore)
      .where('s.status', 'in', LATE_CAN_APPLY);
    if (query.after) select = select.where(afterCursor('o.promised_delivery_date', 's.id', query.after));
    if (query.excludeRaised) select = select.where(notRaised('s.id', 'predicted_late'));
    const rows = await select.orderBy('o.promised_delivery_date').orderBy('s.id').limit(query.limit).execute();
    return pageOf(rows.map(toShipmentCandidate), query.limit, (row) => ({
      value: row.promisedDeliveryDate ?? '',
      id: row.shipmentId,
    }));
  }

  async listArrivingCandidates(
    storeId: string,
    range: { eddFrom: string; eddTo: string },
    query: CandidateQuery,
  ): Promise<CandidatePage<AlertShipmentCandidate>> {
    // Partial index shipment_store_predicted_edd_idx (store_id, predicted_edd).
    let select = this.shipmentCandidates(storeId)
      .where('s.predicted_edd', '>=', range.eddFrom)
      .where('s.predicted_edd', '<=', range.eddTo)
      .where('s.status', '=', 'in_transit')
      .where('s.predicted_edd_confidence', 'in', ['high', 'medium']);
    if (query.after) select = select.where(afterCursor('s.predicted_edd', 's.id', query.after));
    if (query.excludeRaised) select = select.where(notRaised('s.id', 'arriving_today'));
    const rows = await select.orderBy('s.predicted_edd').orderBy('s.id').limit(query.limit).execute();
    return pageOf(rows.map(toShipmentCandidate), query.limit, (row) => ({
      value: row.predictedEdd ?? '',
      id: row.shipmentId,
    }));
  }

  async recordRaisedAlerts(alerts: RaisedAlert[], now: string): Promise<RaisedAlert[]> {
    if (alerts.length === 0) return [];
    const inserted = await this.db
      .insertInto('delivery_alert')
      .values(
        alerts.map((alert) => ({
          subject_id: alert.subjectId,
          milestone: alert.milestone,
          store_id: alert.storeId,
          order_id: alert.orderId,
          shipment_id: alert.shipmentId,
          since: alert.since,
          details: JSON.stringify(alert.details),
          raised_at: now,
        })),
      )
      .onConflict((oc) => oc.columns(['subject_id', 'milestone']).doNothing())
      .returning(['subject_id', 'milestone'])
      .execute();
    const fresh = new Set(inserted.map((row) => `${row.subject_id}:${row.milestone}`));
    return alerts.filter((alert) => fresh.has(`${alert.subjectId}:${alert.milestone}`));
  }

  async listRaisedAlerts(storeId: string, subjectIds: string[]): Promise<RaisedAlertMark[]> {
    if (subjectIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('delivery_alert')
      .select(['subject_id', 'milestone', 'raised_at'])
      .where('store_id', '=', storeId)
      .where('subject_id', 'in', subjectIds)
      .execute();
    return rows.map((row) => ({
      subjectId: row.subject_id,
      milestone: row.milestone as DeliveryAlertKind,
      raisedAt: row.raised_at,
    }));
  }

  async scheduleAlertScans(now: string): Promise<number> {
    // Two statements rather than INSERT … SELECT: a bound instant in a select list is text to PostgreSQL.
    const missing = await this.db
      .selectFrom('store')
      .leftJoin('delivery_alert_scan', 'delivery_alert_scan.id', 'store.id')
      .select('store.id')
      .where('store.is_enabled', '=', 1)
      .where('delivery_alert_scan.id', 'is', null)
      .execute();
    if (missing.length === 0) return 0;
    const result = await this.db
      .insertInto('delivery_alert_scan')
      .values(
        missing.map((row) => ({
          id: row.id,
          next_scan_at: now,
          last_scanned_at: null,
          lease_owner: null,
          lease_until: null,
          last_error: null,
        })),
      )
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0);
  }

  private shipmentCandidates(
    storeId: string,
  ): SelectQueryBuilder<
    Database & { s: Database['shipment']; o: Database['sales_order'] },
    's' | 'o',
    ShipmentCandidateRow
  > {
    return this.db
      .selectFrom('shipment as s')
      .innerJoin('sales_order as o', 'o.id', 's.order_id')
      .select(SHIPMENT_CANDIDATE_COLUMNS)
      .where('s.store_id', '=', storeId)
      .where('o.order_status', 'not in', CLOSED_ORDER);
  }
}

/** Not yet in the alert ledger for this alert: the ledger's primary key makes it one probe per row. */
function notRaised(subjectColumn: 'o.id' | 's.id', milestone: DeliveryAlertKind) {
  return (eb: ExpressionBuilder<Database & { s: Database['shipment']; o: Database['sales_order'] }, 's' | 'o'>) =>
    eb.not(
      eb.exists(
        eb
          .selectFrom('delivery_alert as a')
          .select('a.subject_id')
          // eslint-disable-next-line @typescript-eslint/no-explicit-any
          .whereRef('a.subject_id', '=', subjectColumn as any)
          .where('a.milestone', '=', milestone),
      ),
    );
}
