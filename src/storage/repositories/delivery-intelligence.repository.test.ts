import { afterEach, beforeEach, expect, it } from 'vitest';

import type { LaneKey } from '../../core/intelligence/predict-delivery.js';
import type { OrderFields } from '../../core/ports/storage.port.js';
import { describeEachDatabase } from '../../test-support/databases.js';
import {
  createTestStorage,
  FIXED_NOW,
  orderFields,
  seedStore,
  type TestStorage,
} from '../../test-support/factories.js';
import type { ShipmentUpdate } from '../database.js';

describeEachDatabase('DeliveryIntelligenceRepository', (dialect) => {
  let t: TestStorage;
  let storeId: string;

  beforeEach(async () => {
    t = await createTestStorage(dialect);
    storeId = (await seedStore(t.storage)).id;
  });
  afterEach(async () => {
    await t.drop();
  });

  const repo = () => t.storage.repositories.deliveryIntelligence;

  async function addOrder(overrides: Partial<OrderFields> = {}): Promise<string> {
    return (await t.storage.repositories.orders.insertOrder(storeId, orderFields(overrides), FIXED_NOW)).id;
  }

  async function addShipment(orderId: string, columns: ShipmentUpdate = {}, inStore = storeId): Promise<string> {
    const { shipment } = await t.storage.repositories.shipments.insertShipment(
      inStore,
      {
        orderId,
        externalId: null,
        carrier: 'ups',
        carrierConfidence: 'given',
        trackingNumber: `1Z${Math.random().toString(36).slice(2, 12)}`,
        service: 'ground',
        trackerState: 'active',
        shippedAt: FIXED_NOW,
        nextCheckAt: null,
      },
      FIXED_NOW,
    );
    if (Object.keys(columns).length > 0)
      await t.database.db.updateTable('shipment').set(columns).where('id', '=', shipment.id).execute();
    return shipment.id;
  }

  const lane: Omit<LaneKey, 'storeId'> = {
    carrier: 'ups',
    service: 'ground',
    originArea: 'US-CA',
    destinationArea: 'US-NY',
  };

  it('should keep one sample per delivered shipment and read each lane level newest first', async () => {
    const orderId = await addOrder();
    const samples: [Partial<LaneKey>, number, string][] = [
      [{}, 2, '2026-11-20T10:00:00.000Z'],
      [{}, 3, '2026-11-22T10:00:00.000Z'],
      [{ destinationArea: 'US-TX' }, 4, '2026-11-23T10:00:00.000Z'],
      [{ service: 'air' }, 1, '2026-11-24T10:00:00.000Z'],
      [{ carrier: 'fedex' }, 9, '2026-11-25T10:00:00.000Z'],
      [{}, 7, '2025-01-01T10:00:00.000Z'],
    ];
    for (const [override, days, deliveredAt] of samples) {
      const shipmentId = await addShipment(orderId);
      const recorded = await repo().recordTransitSample(
        {
          storeId,
          shipmentId,
          lane: { storeId, ...lane, ...override },
          sample: { fromShipped: days + 1, fromFirstScan: days },
          deliveredAt,
        },
        FIXED_NOW,
      );
      expect(recorded).toBe(true);
      // Delivered again (found after a loss): still one sample.
      expect(
        await repo().recordTransitSample(
          {
            storeId,
            shipmentId,
            lane: { storeId, ...lane },
            sample: { fromShipped: 50, fromFirstScan: 50 },
            deliveredAt,
          },
          FIXED_NOW,
        ),
      ).toBe(false);
    }
    const key = { storeId, ...lane };
    const since = { deliveredSince: '2026-06-01T00:00:00.000Z', limit: 10 };
    const days = async (level: 'lane' | 'carrier_service' | 'carrier', options = since) =>
      (await repo().listTransitSamples(key, level, options)).map((s) => s.fromFirstScan);

    expect(await days('lane')).toEqual([3, 2]);
    expect(await days('carrier_service')).toEqual([4, 3, 2]);
    expect(await days('carrier')).toEqual([1, 4, 3, 2]);
    expect(await days('carrier', { ...since, limit: 2 })).toEqual([1, 4]);
    expect(await days('lane', { ...since, deliveredSince: '2024-01-01T00:00:00.000Z' })).toEqual([3, 2, 7]);
    expect(
      await repo().listTransitSamples({ ...key, storeId: (await seedStore(t.storage)).id }, 'carrier', since),
    ).toEqual([]);
  });

  it('should save, keep and clear a prediction beside the shipment', async () => {
    const shipmentId = await addShipment(await addOrder());
    await repo().savePrediction(
      storeId,
      shipmentId,
      {
        prediction: {
          date: '2026-11-30',
          earliest: '2026-11-27',
          latest: '2026-12-02',
          confidence: 'medium',
          basis: 'lane',
          sampleCount: 42,
        },
        lateFrom: '2026-12-01',
        predictedAt: FIXED_NOW,
      },
      FIXED_NOW,
    );
    expect(await repo().findPrediction(storeId, shipmentId)).toEqual({
      predictedEdd: '2026-11-30',
      earliest: '2026-11-27',
      latest: '2026-12-02',
      confidence: 'medium',
      basis: 'lane',
      sampleCount: 42,
      predictedAt: FIXED_NOW,
      lateFrom: '2026-12-01',
    });
    expect((await t.storage.repositories.shipments.findShipmentById(storeId, shipmentId))?.predictedEdd).toBe(
      '2026-11-30',
    );

    await repo().savePrediction(storeId, shipmentId, { lateFrom: null, predictedAt: FIXED_NOW }, FIXED_NOW);
    expect(await repo().findPrediction(storeId, shipmentId)).toMatchObject({
      predictedEdd: '2026-11-30',
      lateFrom: null,
    });

    await repo().savePrediction(
      storeId,
      shipmentId,
      { prediction: null, lateFrom: null, predictedAt: FIXED_NOW },
      FIXED_NOW,
    );
    expect(await repo().findPrediction(storeId, shipmentId)).toMatchObject({
      predictedEdd: null,
      earliest: null,
      basis: null,
    });
    expect(await repo().findPrediction((await seedStore(t.storage)).id, shipmentId)).toBeUndefined();
  });

  it('should list unshipped processing orders in the range, page by page, skipping raised ones on request', async () => {
    const inRange = [];
    for (let i = 0; i < 5; i += 1) inRange.push(await addOrder({ placedAt: `2026-11-2${i}T10:00:00.000Z` }));
    await addOrder({ placedAt: '2026-11-21T11:00:00.000Z', orderStatus: 'cancelled' });
    await addOrder({ placedAt: '2026-11-21T12:00:00.000Z', shippingSummary: 'in_transit' });
    await addOrder({ placedAt: '2026-11-26T10:00:00.000Z' });
    const range = { placedSince: '2026-11-01T00:00:00.000Z', placedBefore: '2026-11-26T00:00:00.000Z' };

    const first = await repo().listFulfillmentDelayCandidates(storeId, range, { limit: 3, excludeRaised: true });
    const second = await repo().listFulfillmentDelayCandidates(storeId, range, {
      limit: 3,
      after: first.next,
      excludeRaised: true,
    });
    expect([...first.rows, ...second.rows].map((r) => r.orderId)).toEqual(inRange);
    expect(first.rows[0]?.orderNumber).toMatch(/^#\d+$/);
    expect(first.rows[0]).toMatchObject({
      orderStatus: 'processing',
      shippingSummary: 'not_shipped',
    });
    expect(second.next).toBeNull();

    const fresh = await repo().recordRaisedAlerts(
      inRange.slice(0, 2).map((orderId) => ({
        storeId,
        milestone: 'fulfillment_delayed' as const,
        subjectId: orderId,
        orderId,
        shipmentId: null,
        since: FIXED_NOW,
        details: { shipBy: '2026-11-24' },
      })),
      FIXED_NOW,
    );
    expect(fresh).toHaveLength(2);
    const again = await repo().recordRaisedAlerts(
      inRange.slice(1, 3).map((orderId) => ({
        storeId,
        milestone: 'fulfillment_delayed' as const,
        subjectId: orderId,
        orderId,
        shipmentId: null,
        since: FIXED_NOW,
        details: {},
      })),
      FIXED_NOW,
    );
    expect(again.map((a) => a.subjectId)).toEqual([inRange[2]]);

    const remaining = await repo().listFulfillmentDelayCandidates(storeId, range, { limit: 10, excludeRaised: true });
    expect(remaining.rows.map((r) => r.orderId)).toEqual(inRange.slice(3));
    const all = await repo().listFulfillmentDelayCandidates(storeId, range, { limit: 10, excludeRaised: false });
    expect(all.rows).toHaveLength(5);
    expect((await repo().listRaisedAlerts(storeId, inRange)).map((m) => m.subjectId).sort()).toEqual(
      inRange.slice(0, 3).sort(),
    );
  });

  it('should list stalled, late and arriving parcels from their own ranges, never of closed orders', async () => {
    const open = await addOrder({
      orderStatus: 'fulfilled',
      shippingAddress: { city: null, region: 'CA', postalCode: null, country: 'US' },
    });
    const cancelled = await addOrder({ orderStatus: 'cancelled' });
    const stalled = await addShipment(open, { status: 'in_transit', last_event_at: '2026-11-20T10:00:00.000Z' });
    await addShipment(open, { status: 'in_transit', last_event_at: '2026-11-26T10:00:00.000Z' });
    await addShipment(open, { status: 'exception', last_event_at: '2026-11-20T10:00:00.000Z' });
    await addShipment(cancelled, { status: 'in_transit', last_event_at: '2026-11-20T10:00:00.000Z' });
    const late = await addShipment(open, {
      status: 'in_transit',
      late_from: '2026-11-25',
      last_event_at: '2026-11-25T10:00:00.000Z',
    });
    await addShipment(open, { status: 'delivered', late_from: '2026-11-25' });
    await addShipment(open, { status: 'in_transit', late_from: '2026-12-05' });
    const arriving = await addShipment(open, {
      status: 'in_transit',
      predicted_edd: '2026-11-26',
      predicted_edd_confidence: 'high',
      last_event_at: '2026-11-25T10:00:00.000Z',
    });
    await addShipment(open, { status: 'in_transit', predicted_edd: '2026-11-26', predicted_edd_confidence: 'low' });
    await addShipment(open, {
      status: 'out_for_delivery',
      predicted_edd: '2026-11-26',
      predicted_edd_confidence: 'high',
    });

    const query = { limit: 10, excludeRaised: true };
    const stalledRows = await repo().listStalledCandidates(
      storeId,
      { lastScanSince: '2026-11-01T00:00:00.000Z', lastScanBefore: '2026-11-23T12:00:00.000Z' },
      query,
    );
    expect(stalledRows.rows.map((r) => r.shipmentId)).toEqual([stalled]);
    expect(stalledRows.rows[0]).toMatchObject({
      orderId: open,
      carrier: 'ups',
      status: 'in_transit',
      shippingAddress: { country: 'US', region: 'CA' },
      orderStatus: 'fulfilled',
    });
    const lateRows = await repo().listLateCandidates(
      storeId,
      { lateFromSince: '2026-10-27', lateFromUntil: '2026-11-27' },
      query,
    );
    expect(lateRows.rows.map((r) => r.shipmentId)).toEqual([late]);
    const arrivingRows = await repo().listArrivingCandidates(
      storeId,
      { eddFrom: '2026-11-25', eddTo: '2026-11-27' },
      query,
    );
    expect(arrivingRows.rows.map((r) => r.shipmentId)).toEqual([arriving]);
    expect(arrivingRows.rows[0]).toMatchObject({ predictedEdd: '2026-11-26', predictedEddConfidence: 'high' });

    const promised = await addOrder({ orderStatus: 'fulfilled', promisedDeliveryDate: '2026-11-24' });
    const missed = await addShipment(promised, { status: 'in_transit' });
    await addShipment(promised, { status: 'delivered' });
    await addShipment(await addOrder({ promisedDeliveryDate: '2026-11-28' }), { status: 'in_transit' });
    const missedRows = await repo().listPromiseMissedCandidates(
      storeId,
      { promisedSince: '2026-10-27', promisedBefore: '2026-11-26' },
      query,
    );
    expect(missedRows.rows.map((r) => [r.shipmentId, r.promisedDeliveryDate])).toEqual([[missed, '2026-11-24']]);

    await repo().recordRaisedAlerts(
      [
        {
          storeId,
          milestone: 'stalled_in_transit',
          subjectId: stalled,
          orderId: open,
          shipmentId: stalled,
          since: FIXED_NOW,
          details: {},
        },
      ],
      FIXED_NOW,
    );
    expect(
      (
        await repo().listStalledCandidates(
          storeId,
          { lastScanSince: '2026-11-01T00:00:00.000Z', lastScanBefore: '2026-11-23T12:00:00.000Z' },
          query,
        )
      ).rows,
    ).toEqual([]);
    // The ledger is per alert: the same parcel can still be late.
    await t.database.db.updateTable('shipment').set({ late_from: '2026-11-24' }).where('id', '=', stalled).execute();
    expect(
      (
        await repo().listLateCandidates(storeId, { lateFromSince: '2026-10-27', lateFromUntil: '2026-11-27' }, query)
      ).rows.map((r) => r.shipmentId),
    ).toEqual([stalled, late]);
  });

  it('should give each enabled store one scan row, claimable like any due row', async () => {
    const other = await seedStore(t.storage, { name: 'Other' });
    const disabled = await seedStore(t.storage, { name: 'Off' });
    await t.database.db.updateTable('store').set({ is_enabled: 0 }).where('id', '=', disabled.id).execute();

    expect(await repo().scheduleAlertScans(FIXED_NOW)).toBe(2);
    expect(await repo().scheduleAlertScans(FIXED_NOW)).toBe(0);

    const claimer = t.storage.claimer('delivery_alert_scan');
    const claimed = await claimer.claim({ owner: 'w1', limit: 10, leaseMs: 60_000, now: FIXED_NOW });
    expect(claimed.map((r) => r.id).sort()).toEqual([storeId, other.id].sort());
    expect(await claimer.claim({ owner: 'w2', limit: 10, leaseMs: 60_000, now: FIXED_NOW })).toEqual([]);
    expect(
      await claimer.complete(storeId, 'w1', { next_scan_at: '2026-11-26T12:05:00.000Z', last_scanned_at: FIXED_NOW }),
    ).toBe(true);
    // Leased and scanned rows are out of the due range until their lease ends or their next scan comes.
    expect(await claimer.countDue('2026-11-26T12:00:30.000Z')).toBe(0);
    expect(await claimer.countDue('2026-11-26T12:01:00.000Z')).toBe(1);
    expect(await claimer.countDue('2026-11-26T12:05:00.000Z')).toBe(2);
  });
});
