import { afterEach, beforeEach, expect, it } from 'vitest';

import type { NormalizedEvent, TrackingOutcome } from '../core/tracking/tracking-result.js';
import { describeEachDatabase } from '../test-support/databases.js';
import { createTestStorage, ManualClock, orderFields, seedStore, type TestStorage } from '../test-support/factories.js';
import { applyTrackingOutcome } from './apply-tracking-outcome.js';

const ORIGIN = { city: 'Oakland', region: 'CA', postalCode: null, country: 'US' };

function scan(
  occurredAt: string,
  status: NormalizedEvent['status'],
  substatus: NormalizedEvent['substatus'],
  location: NormalizedEvent['location'] = null,
): NormalizedEvent {
  return {
    occurredAt,
    occurredAtLocal: null,
    timeZoneInferred: false,
    sequence: null,
    status,
    substatus,
    reason: null,
    description: `${status} ${substatus}`,
    location,
    rawCode: `${status}-${occurredAt}`,
    rawStatus: null,
  };
}

function found(events: NormalizedEvent[], estimatedDelivery: string | null = null): TrackingOutcome {
  return {
    kind: 'found',
    result: {
      carrier: 'ups',
      trackingNumber: 'ignored',
      status: 'in_transit',
      substatus: 'in_transit',
      reason: null,
      estimatedDelivery,
      deliveredAt: null,
      signedBy: null,
      service: null,
      events,
    },
  };
}

describeEachDatabase('delivery prediction when tracking applies', (dialect) => {
  let t: TestStorage;
  let clock: ManualClock;
  let storeId: string;
  let counter = 0;

  beforeEach(async () => {
    t = await createTestStorage(dialect);
    // Thursday 26 November 2026, 12:00 UTC.
    clock = new ManualClock();
    storeId = (await seedStore(t.storage, { timeZone: 'America/New_York' })).id;
  });
  afterEach(async () => {
    await t.drop();
  });

  async function addShipment(options: { shippedAt?: string; promisedDeliveryDate?: string | null } = {}) {
    counter += 1;
    const order = await t.storage.repositories.orders.insertOrder(
      storeId,
      orderFields({
        orderStatus: 'fulfilled',
        shippingSummary: 'in_transit',
        shippingAddress: { city: 'Albany', region: 'NY', postalCode: '12207', country: 'US' },
        promisedDeliveryDate: options.promisedDeliveryDate ?? null,
      }),
      clock.now(),
    );
    const { shipment } = await t.storage.repositories.shipments.insertShipment(
      storeId,
      {
        orderId: order.id,
        externalId: null,
        carrier: 'ups',
        carrierConfidence: 'given',
        trackingNumber: `1ZTEST${counter}`,
        service: 'ground',
        trackerState: 'active',
        shippedAt: options.shippedAt ?? clock.now(),
        nextCheckAt: null,
      },
      clock.now(),
    );
    return shipment;
  }

  const apply = (shipment: { id: string; storeId: string }, outcome: TrackingOutcome) =>
    applyTrackingOutcome({ uow: t.storage, clock }, shipment, outcome, { cause: 'poll', source: 'carrier_api' });
  const reload = (id: string) => t.storage.repositories.shipments.findShipmentById(storeId, id);
  const prediction = (id: string) => t.storage.repositories.deliveryIntelligence.findPrediction(storeId, id);

  it('should keep the carrier’s first EDD and follow its latest, with or without new events', async () => {
    const shipment = await addShipment();
    await apply(shipment, found([scan('2026-11-26T10:00:00.000Z', 'info_received', 'label_created')]));
    expect(await reload(shipment.id)).toMatchObject({ carrierEddFirst: null, carrierEddLatest: null });

    await apply(shipment, found([scan('2026-11-26T11:00:00.000Z', 'in_transit', 'picked_up', ORIGIN)], '2026-11-28'));
    expect(await reload(shipment.id)).toMatchObject({ carrierEddFirst: '2026-11-28', carrierEddLatest: '2026-11-28' });

    await apply(shipment, found([scan('2026-11-26T11:00:00.000Z', 'in_transit', 'picked_up', ORIGIN)], '2026-12-01'));
    expect(await reload(shipment.id)).toMatchObject({ carrierEddFirst: '2026-11-28', carrierEddLatest: '2026-12-01' });
    // No history yet: the carrier's latest date is the estimate, and it is later than its first promise.
    expect(await prediction(shipment.id)).toMatchObject({
      predictedEdd: '2026-12-01',
      basis: 'carrier_estimate',
      confidence: 'medium',
      lateFrom: '2026-11-26',
    });

    await apply(shipment, found([scan('2026-11-26T11:30:00.000Z', 'in_transit', 'departed_facility', ORIGIN)]));
    expect(await reload(shipment.id)).toMatchObject({ carrierEddFirst: '2026-11-28', carrierEddLatest: '2026-12-01' });
  });

  it('should learn each lane from delivered parcels and predict from it', async () => {
    clock.set('2026-11-18T20:00:00.000Z');
    for (let i = 0; i < 22; i += 1) {
      const delivered = await addShipment({ shippedAt: '2026-11-16T12:00:00.000Z' });
      await apply(
        delivered,
        found([
          // Picked up Monday, delivered Wednesday: 2 business days from the first scan.
          scan('2026-11-16T15:00:00.000Z', 'in_transit', 'picked_up', ORIGIN),
          scan('2026-11-18T17:00:00.000Z', 'delivered', 'delivered'),
        ]),
      );
    }
    const lane = { storeId, carrier: 'ups', service: 'ground', originArea: 'US-CA', destinationArea: 'US-NY' };
    const samples = await t.storage.repositories.deliveryIntelligence.listTransitSamples(lane, 'lane', {
      deliveredSince: '2026-01-01T00:00:00.000Z',
      limit: 200,
    });
    expect(samples).toHaveLength(22);
    expect(samples[0]).toEqual({ fromShipped: 2, fromFirstScan: 2 });

    clock.set('2026-11-26T16:00:00.000Z');
    const moving = await addShipment({ promisedDeliveryDate: '2026-12-04' });
    await apply(moving, found([scan('2026-11-26T14:00:00.000Z', 'in_transit', 'picked_up', ORIGIN)], '2026-12-03'));
    // Thursday + 2 business days = Monday; the carrier's Thursday is outside the lane's range, so history wins.
    expect(await prediction(moving.id)).toEqual({
      predictedEdd: '2026-11-30',
      earliest: '2026-11-30',
      latest: '2026-11-30',
      confidence: 'medium',
      basis: 'lane',
      sampleCount: 22,
      predictedAt: '2026-11-26T16:00:00.000Z',
      lateFrom: '2026-12-05',
    });

    // Another scan the same day: the estimate is not redone.
    clock.set('2026-11-26T20:00:00.000Z');
    await apply(moving, found([scan('2026-11-26T19:00:00.000Z', 'in_transit', 'departed_facility', ORIGIN)]));
    expect((await prediction(moving.id))?.predictedAt).toBe('2026-11-26T16:00:00.000Z');
    // The next day it is, and it follows the elapsed time.
    clock.set('2026-11-27T15:00:00.000Z');
    await apply(moving, found([scan('2026-11-27T14:00:00.000Z', 'in_transit', 'arrived_at_facility', ORIGIN)]));
    expect(await prediction(moving.id)).toMatchObject({
      predictedEdd: '2026-11-30',
      predictedAt: '2026-11-27T15:00:00.000Z',
    });

    clock.set('2026-11-30T13:00:00.000Z');
    await apply(moving, found([scan('2026-11-30T12:00:00.000Z', 'out_for_delivery', 'out_for_delivery', ORIGIN)]));
    expect(await prediction(moving.id)).toMatchObject({
      predictedEdd: '2026-11-30',
      basis: 'out_for_delivery',
      confidence: 'high',
    });
  });

  it('should clear the estimate and lateness at a pickup point', async () => {
    const shipment = await addShipment({ promisedDeliveryDate: '2026-11-20' });
    await apply(shipment, found([scan('2026-11-26T10:00:00.000Z', 'in_transit', 'picked_up', ORIGIN)], '2026-11-28'));
    expect(await prediction(shipment.id)).toMatchObject({ predictedEdd: '2026-11-28', lateFrom: '2026-11-26' });

    await apply(shipment, found([scan('2026-11-26T11:00:00.000Z', 'available_for_pickup', 'ready_at_pickup_point')]));
    expect(await prediction(shipment.id)).toMatchObject({ predictedEdd: null, basis: null, lateFrom: null });
  });
});
