import pino from 'pino';
import { afterEach, beforeEach, expect, it } from 'vitest';

import type { OrderFields } from '../core/ports/storage.port.js';
import { buildWorkers } from '../jobs/build-workers.js';
import type { ShipmentUpdate } from '../storage/database.js';
import { describeEachDatabase } from '../test-support/databases.js';
import { createTestStorage, ManualClock, orderFields, seedStore, type TestStorage } from '../test-support/factories.js';
import { alertScanQueue, planScheduledAlerts } from './plan-scheduled-alerts.js';

const ALERTS = ['fulfillment_delayed', 'stalled_in_transit', 'predicted_late', 'arriving_today'];
/** Customers hear of the alerts by email in these stores; merchant webhooks get them by default. */
const EMAIL_ALERTS = { email: { enabled: true, milestones: ALERTS } };

describeEachDatabase('planScheduledAlerts', (dialect) => {
  let t: TestStorage;
  let clock: ManualClock;

  beforeEach(async () => {
    t = await createTestStorage(dialect);
    // Wednesday 2 December 2026, 13:00 UTC.
    clock = new ManualClock('2026-12-02T13:00:00.000Z');
  });
  afterEach(async () => {
    await t.drop();
  });

  async function addOrder(storeId: string, overrides: Partial<OrderFields> = {}): Promise<string> {
    return (await t.storage.repositories.orders.insertOrder(storeId, orderFields(overrides), clock.now())).id;
  }

  async function addShipment(storeId: string, orderId: string, columns: ShipmentUpdate): Promise<string> {
    const { shipment } = await t.storage.repositories.shipments.insertShipment(
      storeId,
      {
        orderId,
        externalId: null,
        carrier: 'ups',
        carrierConfidence: 'given',
        trackingNumber: `1Z${Math.random().toString(36).slice(2, 12)}`,
        service: null,
        trackerState: 'active',
        shippedAt: '2026-11-27T10:00:00.000Z',
        nextCheckAt: null,
      },
      clock.now(),
    );
    await t.database.db.updateTable('shipment').set(columns).where('id', '=', shipment.id).execute();
    return shipment.id;
  }

  /** One subject for each alert that holds now, and look-alikes that must not alert. */
  async function seedEveryCase(storeId: string) {
    const recent = '2026-12-02T09:00:00.000Z';
    const delayed = await addOrder(storeId, { placedAt: '2026-11-27T10:00:00.000Z' });
    await addOrder(storeId, { placedAt: '2026-11-27T10:00:00.000Z', orderStatus: 'cancelled' });
    await addOrder(storeId, { placedAt: '2026-12-01T10:00:00.000Z' });
    const shipped = await addOrder(storeId, {
      orderStatus: 'fulfilled',
      shippingSummary: 'in_transit',
      promisedDeliveryDate: '2026-12-03',
      shippingAddress: { city: null, region: null, postalCode: null, country: null },
    });
    const cancelled = await addOrder(storeId, { orderStatus: 'cancelled', shippingSummary: 'in_transit' });
    const stalled = await addShipment(storeId, shipped, {
      status: 'in_transit',
      last_event_at: '2026-11-29T10:00:00.000Z',
    });
    const late = await addShipment(storeId, shipped, {
      status: 'in_transit',
      last_event_at: recent,
      predicted_edd: '2026-12-07',
      predicted_edd_earliest: '2026-12-04',
      predicted_edd_confidence: 'medium',
      late_from: '2026-12-01',
    });
    const arriving = await addShipment(storeId, shipped, {
      status: 'in_transit',
      last_event_at: recent,
      predicted_edd: '2026-12-02',
      predicted_edd_earliest: '2026-12-02',
      predicted_edd_confidence: 'high',
    });
    await addShipment(storeId, shipped, {
      status: 'out_for_delivery',
      last_event_at: recent,
      predicted_edd: '2026-12-02',
      predicted_edd_confidence: 'high',
    });
    await addShipment(storeId, cancelled, {
      status: 'in_transit',
      last_event_at: '2026-11-20T10:00:00.000Z',
      late_from: '2026-11-25',
    });
    return { delayed, stalled, late, arriving };
  }

  async function notifications(storeId: string) {
    return t.database.db
      .selectFrom('notification')
      .select(['milestone', 'channel', 'state', 'order_id', 'shipment_id', 'idempotency_key'])
      .where('store_id', '=', storeId)
      .orderBy('milestone')
      .orderBy('channel')
      .execute();
  }

  it('should plan each alert once per channel through the outbox, and nothing on a re-scan', async () => {
    const store = await seedStore(t.storage, { notificationSettings: EMAIL_ALERTS });
    const subjects = await seedEveryCase(store.id);

    const first = await planScheduledAlerts({ uow: t.storage, clock }, store.id);
    expect(first.raised).toEqual({
      fulfillment_delayed: 1,
      stalled_in_transit: 1,
      predicted_late: 1,
      arriving_today: 1,
    });
    expect(first.notifications).toBe(8);
    const rows = await notifications(store.id);
    expect(rows.map((r) => `${r.milestone}:${r.channel}:${r.state}`)).toEqual([
      'arriving_today:email:planned',
      'arriving_today:webhook:planned',
      'fulfillment_delayed:email:planned',
      'fulfillment_delayed:webhook:planned',
      'predicted_late:email:planned',
      'predicted_late:webhook:planned',
      'stalled_in_transit:email:planned',
      'stalled_in_transit:webhook:planned',
    ]);
    expect(rows.find((r) => r.milestone === 'fulfillment_delayed')).toMatchObject({
      order_id: subjects.delayed,
      shipment_id: null,
    });
    expect(rows.filter((r) => r.milestone === 'stalled_in_transit').map((r) => r.shipment_id)).toEqual([
      subjects.stalled,
      subjects.stalled,
    ]);
    expect(rows.find((r) => r.milestone === 'predicted_late')?.shipment_id).toBe(subjects.late);
    expect(rows.find((r) => r.milestone === 'arriving_today')?.idempotency_key).toBe(
      [store.id, 'shipment', subjects.arriving, 'arriving_today', '0', 'email'].join(':'),
    );

    clock.advance(5 * 60_000);
    const second = await planScheduledAlerts({ uow: t.storage, clock }, store.id);
    expect(second).toMatchObject({
      raised: { fulfillment_delayed: 0, stalled_in_transit: 0, predicted_late: 0, arriving_today: 0 },
      notifications: 0,
    });

    // Even with the ledger gone, the outbox's idempotency keys keep every message to one.
    await t.database.db.deleteFrom('delivery_alert').execute();
    const third = await planScheduledAlerts({ uow: t.storage, clock }, store.id);
    expect(third.raised.stalled_in_transit).toBe(1);
    expect(third.notifications).toBe(0);
    expect(await notifications(store.id)).toHaveLength(8);
  });

  it('should respect the store’s thresholds and channels', async () => {
    const patient = await seedStore(t.storage, {
      name: 'Patient',
      notificationSettings: {
        alerts: { fulfillmentDelayedBusinessDays: 4, stalledInTransitDays: 5 },
        webhook: { enabled: false },
      },
    });
    const { late, arriving } = await seedEveryCase(patient.id);

    const outcome = await planScheduledAlerts({ uow: t.storage, clock }, patient.id);
    expect(outcome.raised).toEqual({
      fulfillment_delayed: 0,
      stalled_in_transit: 0,
      predicted_late: 1,
      arriving_today: 1,
    });
    // No channel takes alerts in this store: raised (the dashboard shows them), nobody messaged.
    expect(outcome.notifications).toBe(0);
    expect(await notifications(patient.id)).toEqual([]);
    const marks = await t.storage.repositories.deliveryIntelligence.listRaisedAlerts(patient.id, [late, arriving]);
    expect(marks.map((m) => m.milestone).sort()).toEqual(['arriving_today', 'predicted_late']);

    // Two days later the longer thresholds pass too.
    clock.set('2026-12-04T13:00:00.000Z');
    const later = await planScheduledAlerts({ uow: t.storage, clock }, patient.id);
    expect(later.raised).toMatchObject({ fulfillment_delayed: 1, stalled_in_transit: 1 });
  });

  it('should record an alert that became true days ago without messaging about it', async () => {
    const store = await seedStore(t.storage, { notificationSettings: EMAIL_ALERTS });
    const order = await addOrder(store.id, { orderStatus: 'fulfilled', shippingSummary: 'in_transit' });
    await addShipment(store.id, order, { status: 'in_transit', last_event_at: '2026-11-20T10:00:00.000Z' });

    await planScheduledAlerts({ uow: t.storage, clock }, store.id);
    expect((await notifications(store.id)).map((r) => `${r.milestone}:${r.state}`)).toEqual([
      'stalled_in_transit:suppressed',
      'stalled_in_transit:suppressed',
    ]);
  });

  it('should scan each store from one worker at a time, every five minutes', async () => {
    const stores = [
      await seedStore(t.storage, { name: 'One', notificationSettings: EMAIL_ALERTS }),
      await seedStore(t.storage, { name: 'Two', notificationSettings: EMAIL_ALERTS }),
    ];
    for (const store of stores) await seedEveryCase(store.id);
    const worker = () =>
      buildWorkers({
        uow: t.storage,
        clock,
        logger: pino({ level: 'silent' }),
        queues: {
          inbox: t.storage.claimer('inbound_webhook'),
          shipments: t.storage.claimer('shipment'),
          alertScans: alertScanQueue(
            t.storage.claimer('delivery_alert_scan'),
            t.storage.repositories.deliveryIntelligence,
          ),
        },
        processors: new Map(),
        carriers: new Map(),
        settings: { batchSize: 10, leaseMs: 60_000, pollIntervalMs: 10, maxAttempts: 3 },
      }).at(-1)!;
    const [a, b] = [worker(), worker()];
    expect(a.owner).toContain('delivery_alert_scan');

    expect(await Promise.all([a.runOnce(), b.runOnce()]).then((n) => n.sort())).toEqual([0, 2]);
    for (const store of stores) expect(await notifications(store.id)).toHaveLength(8);

    clock.advance(60_000);
    expect(await a.runOnce()).toBe(0);
    clock.advance(4 * 60_000);
    expect(await b.runOnce()).toBe(2);
    for (const store of stores) expect(await notifications(store.id)).toHaveLength(8);

    // A store created later is picked up by the next pass.
    const late = await seedStore(t.storage, { name: 'Three', notificationSettings: EMAIL_ALERTS });
    await seedEveryCase(late.id);
    clock.advance(60_000);
    expect(await a.runOnce()).toBe(1);
    expect(await notifications(late.id)).toHaveLength(8);
  });
});
