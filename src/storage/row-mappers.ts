import type { Order } from '../core/order/order.js';
import type { FinancialStatus, OrderStatus } from '../core/order/order-status.js';
import type { ShippingSummary } from '../core/order/shipping-summary.js';
import type { CarrierConfidence, Shipment, TrackingEvent } from '../core/shipment/shipment.js';
import type {
  EventSource,
  IncidentReason,
  ShippingStatus,
  Substatus,
  TrackerState,
} from '../core/shipment/shipping-status.js';
import { EMPTY_BRANDING, type Platform, type Store, type StoreBranding } from '../core/store/store.js';
import type { SalesOrderRow, ShipmentRow, StoreRow, TrackingEventRow } from './database.js';
import { fromFlag, parseJsonColumn } from './json.js';

export function storeRowToStore(row: StoreRow): Store {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    platform: row.platform as Platform,
    domain: row.domain,
    locale: row.locale,
    timeZone: row.time_zone,
    branding: { ...EMPTY_BRANDING, ...parseJsonColumn<Partial<StoreBranding>>(row.branding, {}) },
    notificationSettings: parseJsonColumn<Record<string, unknown>>(row.notification_settings, {}),
    isEnabled: fromFlag(row.is_enabled),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function orderRowToOrder(row: SalesOrderRow): Order {
  return {
    id: row.id,
    storeId: row.store_id,
    externalId: row.external_id,
    number: row.number,
    orderStatus: row.order_status as OrderStatus,
    financialStatus: row.financial_status as FinancialStatus | null,
    platformStatus: parseJsonColumn<Record<string, unknown>>(row.platform_status, {}),
    cancelReason: row.cancel_reason,
    customer: {
      email: row.customer_email,
      name: row.customer_name,
      phone: row.customer_phone,
      language: row.customer_language,
    },
    shippingAddress: {
      city: row.ship_city,
      region: row.ship_region,
      postalCode: row.ship_postal_code,
      country: row.ship_country,
    },
    lineItems: parseJsonColumn(row.line_items, []),
    promisedDeliveryDate: row.promised_delivery_date,
    placedAt: row.placed_at,
    platformUpdatedAt: row.platform_updated_at,
    shippingSummary: row.shipping_summary as ShippingSummary,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function shipmentRowToShipment(row: ShipmentRow): Shipment {
  return {
    id: row.id,
    storeId: row.store_id,
    orderId: row.order_id,
    externalId: row.external_id,
    carrier: row.carrier,
    carrierConfidence: row.carrier_confidence as CarrierConfidence,
    trackingNumber: row.tracking_number,
    service: row.service,
    items: parseJsonColumn(row.items, []),
    status: row.status as ShippingStatus,
    substatus: row.substatus as Substatus,
    reason: row.reason as IncidentReason | null,
    actionRequired: fromFlag(row.action_required),
    attemptNumber: Number(row.attempt_number),
    trackerState: row.tracker_state as TrackerState,
    carrierEddFirst: row.carrier_edd_first,
    carrierEddLatest: row.carrier_edd_latest,
    predictedEdd: row.predicted_edd,
    signedBy: row.signed_by,
    shippedAt: row.shipped_at,
    firstScanAt: row.first_scan_at,
    outForDeliveryAt: row.out_for_delivery_at,
    deliveredAt: row.delivered_at,
    exceptionAt: row.exception_at,
    lastEventAt: row.last_event_at,
    nextCheckAt: row.next_check_at,
    platformShipmentStatus: row.platform_shipment_status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function eventRowToEvent(row: TrackingEventRow): TrackingEvent {
  const hasLocation = row.location_city ?? row.location_region ?? row.location_postal_code ?? row.location_country;
  return {
    id: row.id,
    storeId: row.store_id,
    shipmentId: row.shipment_id,
    occurredAt: row.occurred_at,
    occurredAtLocal: row.occurred_at_local,
    timeZoneInferred: fromFlag(row.time_zone_inferred),
    sequence: row.sequence === null ? null : Number(row.sequence),
    status: row.status as ShippingStatus,
    substatus: row.substatus as Substatus,
    reason: row.reason as IncidentReason | null,
    description: row.description,
    location: hasLocation
      ? {
          city: row.location_city,
          region: row.location_region,
          postalCode: row.location_postal_code,
          country: row.location_country,
        }
      : null,
    rawCode: row.raw_code,
    rawStatus: row.raw_status,
    source: row.source as EventSource,
    dedupeKey: row.dedupe_key,
    receivedAt: row.received_at,
  };
}
