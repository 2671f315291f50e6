import type { OrderView, ShipmentWithEvents } from '../../app/get-order.js';
import type { TrackingEvent } from '../../core/shipment/shipment.js';

/**
 * The order the branding preview shows (`/track/{slug}?preview=1`): two parcels,
 * one delivered and one out for delivery, and one item still to ship, so a
 * merchant sees every part of the page in their colours. Times are relative
 * to `now`, so the preview never looks stale.
 */
export function sampleTrackingOrder(storeId: string, now: string): OrderView {
  const at = (hoursAgo: number) => new Date(Date.parse(now) - hoursAgo * 3_600_000).toISOString();
  const orderId = 'sample-order';
  const event = (
    shipmentId: string,
    hoursAgo: number,
    fields: Pick<TrackingEvent, 'status' | 'substatus' | 'description'> & { city: string; region: string },
  ): TrackingEvent => ({
    id: `${shipmentId}-${hoursAgo}`,
    storeId,
    shipmentId,
    occurredAt: at(hoursAgo),
    occurredAtLocal: null,
    timeZoneInferred: false,
    sequence: null,
    status: fields.status,
    substatus: fields.substatus,
    reason: null,
    description: fields.description,
    location: { city: fields.city, region: fields.region, postalCode: null, country: 'US' },
    rawCode: null,
    rawStatus: null,
    source: 'carrier_api',
    dedupeKey: `${shipmentId}-${hoursAgo}`,
    receivedAt: at(hoursAgo),
  });
  const shipment = (
    id: string,
    fields: Partial<ShipmentWithEvents> & Pick<ShipmentWithEvents, 'status' | 'substatus' | 'events'>,
  ): ShipmentWithEvents => ({
    id,
    storeId,
    orderId,
    externalId: id,
    carrier: 'ups',
    carrierConfidence: 'given',
    trackingNumber: '1Z999AA10123456784',
    service: 'UPS Ground',
    items: [],
    reason: null,
    actionRequired: false,
    attemptNumber: 0,
    trackerState: 'active',
    carrierEddFirst: null,
    carrierEddLatest: null,
    predictedEdd: null,
    signedBy: null,
    lastEventAt: null,
    nextCheckAt: null,
    platformShipmentStatus: null,
    shippedAt: at(72),
    firstScanAt: at(60),
    outForDeliveryAt: null,
    deliveredAt: null,
    exceptionAt: null,
    createdAt: at(72),
    updatedAt: now,
    ...fields,
  });

  return {
    id: orderId,
    storeId,
    externalId: 'sample',
    number: '#1001',
    orderStatus: 'partially_fulfilled',
    financialStatus: 'paid',
    platformStatus: {},
    cancelReason: null,
    customer: { email: null, name: null, phone: null, language: null },
    shippingAddress: { city: 'Portland', region: 'OR', postalCode: null, country: 'US' },
    lineItems: [
      { externalId: 'li-1', sku: null, name: 'Linen shirt', quantity: 1 },
      { externalId: 'li-2', sku: null, name: 'Canvas tote', quantity: 2 },
      { externalId: 'li-3', sku: null, name: 'Wool scarf', quantity: 1 },
    ],
    promisedDeliveryDate: null,
    placedAt: at(96),
    platformUpdatedAt: at(1),
    shippingSummary: 'partially_delivered',
    createdAt: at(96),
    updatedAt: now,
    shipments: [
      shipment('sample-parcel-1', {
        status: 'delivered',
        substatus: 'delivered',
        deliveredAt: at(20),
        outForDeliveryAt: at(26),
        signedBy: 'A. MORGAN',
        items: [{ externalId: 'li-1', quantity: 1 }],
        events: [
          event('sample-parcel-1', 20, {
            status: 'delivered',
            substatus: 'delivered',
            description: 'Delivered, front door',
            city: 'Portland',
            region: 'OR',
          }),
          event('sample-parcel-1', 26, {
            status: 'out_for_delivery',
            substatus: 'out_for_delivery',
            description: 'Out for delivery',
            city: 'Portland',
            region: 'OR',
          }),
          event('sample-parcel-1', 60, {
            status: 'in_transit',
            substatus: 'picked_up',
            description: 'Picked up',
            city: 'Sacramento',
            region: 'CA',
          }),
        ],
      }),
      shipment('sample-parcel-2', {
        trackingNumber: '1Z999AA10123456795',
        status: 'out_for_delivery',
        substatus: 'out_for_delivery',
        outForDeliveryAt: at(3),
        carrierEddLatest: now.slice(0, 10),
        items: [{ externalId: 'li-2', quantity: 2 }],
        events: [
          event('sample-parcel-2', 3, {
            status: 'out_for_delivery',
            substatus: 'out_for_delivery',
            description: 'Out for delivery',
            city: 'Portland',
            region: 'OR',
          }),
          event('sample-parcel-2', 30, {
            status: 'in_transit',
            substatus: 'arrived_at_facility',
            description: 'Arrived at facility',
            city: 'Portland',
            region: 'OR',
          }),
          event('sample-parcel-2', 58, {
            status: 'in_transit',
            substatus: 'picked_up',
            description: 'Picked up',
            city: 'Sacramento',
            region: 'CA',
          }),
        ],
      }),
    ],
  };
}
