import { expect, it } from 'vitest';

import type { Store } from '../../core/store/store.js';
import { describeEachDatabase } from '../../test-support/databases.js';
import {
  carrierEvent,
  eachTestSignedIn,
  seedDashboardUser,
  seedOrderWithParcel,
  signInAs,
  type Browser,
  type DashboardTestApp,
} from '../../test-support/dashboard.js';
import { FIXED_NOW, orderFields, seedStore } from '../../test-support/factories.js';

const at = (minutes: number): string => new Date(Date.parse(FIXED_NOW) + minutes * 60_000).toISOString();

describeEachDatabase('dashboard orders', (dialect) => {
  let t: DashboardTestApp;
  let store: Store;
  let browser: Browser;

  let counter: number;
  eachTestSignedIn(
    dialect,
    'owner',
    (n) => ({ name: `Shop ${n}`, platform: 'shopify' }),
    (context) => {
      ({ t, store, browser: browser, n: counter } = context);
    },
  );

  it('should list orders with both statuses and filter them by shipping status, carrier and search', async () => {
    const inTransit = await seedOrderWithParcel(t.storage, t.clock, store, {
      order: { number: '#5001', customer: { email: 'ada@example.com', name: 'Ada', phone: null, language: 'en' } },
      events: [carrierEvent({ occurredAt: at(-60), status: 'in_transit', substatus: 'picked_up' })],
    });
    await seedOrderWithParcel(t.storage, t.clock, store, {
      order: { number: '#5002' },
      carrier: 'fedex',
      trackingNumber: '794600000002',
      events: [carrierEvent({ occurredAt: at(-30), status: 'exception', substatus: 'customs_hold' })],
    });

    const all = await browser.get('/dashboard/orders');
    const exceptions = await browser.get('/dashboard/orders?shippingStatus=exception');
    const byCarrier = await browser.get('/dashboard/orders?carrier=FedEx');
    const byEmail = await browser.get('/dashboard/orders?q=ADA%40example.com');
    const byTracking = await browser.get(`/dashboard/orders?q=${inTransit.shipment.trackingNumber.toLowerCase()}`);

    expect(all.statusCode).toBe(200);
    expect(all.body).toContain('#5001');
    expect(all.body).toContain('#5002');
    expect(all.body).toContain('<strong>2</strong> orders');
    expect(all.body).toMatch(/title="Order status: processing">Processing</);
    expect(all.body).toMatch(/title="Shipping summary: attention">Needs attention</);
    expect(exceptions.body).toContain('#5002');
    expect(exceptions.body).not.toContain('#5001');
    expect(byCarrier.body).toContain('#5002');
    expect(byCarrier.body).not.toContain('#5001');
    expect(byEmail.body).toContain('#5001');
    expect(byEmail.body).not.toContain('#5002');
    expect(byTracking.body).toContain('#5001');
    expect(byTracking.body).not.toContain('#5002');
  });

  it('should filter by the day an order was placed, in the store time zone, and page with the cursor', async () => {
    const tokyo = await seedStore(t.storage, { name: `Tokyo ${counter}`, timeZone: 'Asia/Tokyo' });
    await seedDashboardUser(t.storage, `tokyo${counter}@example.com`, [{ store: tokyo, role: 'staff' }]);
    const staff = await signInAs(t.app, `tokyo${counter}@example.com`);
    // 2026-11-25T16:00Z is already the 26th in Tokyo.
    for (const [number, placedAt] of [
      ['#T-1', '2026-11-25T14:00:00.000Z'],
      ['#T-2', '2026-11-25T16:00:00.000Z'],
      ['#T-3', '2026-11-26T10:00:00.000Z'],
    ] as const) {
      await t.storage.repositories.orders.insertOrder(tokyo.id, orderFields({ number, placedAt }), FIXED_NOW);
    }
    for (let i = 0; i < 55; i += 1) {
      await t.storage.repositories.orders.insertOrder(
        tokyo.id,
        orderFields({ number: `#P-${i}`, placedAt: '2026-11-20T10:00:00.000Z' }),
        FIXED_NOW,
      );
    }

    const day = await staff.get('/dashboard/orders?from=2026-11-26&to=2026-11-26');
    const backwards = await staff.get('/dashboard/orders?from=2026-11-27&to=2026-11-26');
    const first = await staff.get('/dashboard/orders?to=2026-11-21');
    const next = /href="(\/dashboard\/orders\?[^"]*cursor=[^"]+)"/.exec(first.body)?.[1]?.replace(/&amp;/g, '&');
    const second = await staff.get(next ?? '/missing');
    const mangled = await staff.get('/dashboard/orders?cursor=not-a-cursor');

    expect(day.body).toContain('#T-2');
    expect(day.body).toContain('#T-3');
    expect(day.body).not.toContain('#T-1');
    expect(backwards.body).toContain('after the &quot;placed to&quot; date');
    expect(first.body).toContain('<strong>55</strong> orders');
    expect((first.body.match(/#P-/g) ?? []).length).toBe(50);
    expect(next).toContain('to=2026-11-21');
    expect((second.body.match(/#P-/g) ?? []).length).toBe(5);
    expect(second.body).toContain('First page');
    expect(mangled.statusCode).toBe(400);
  });

  it('should show an order with both statuses, raw platform status, events with raw codes, journal and notifications', async () => {
    const { order, shipment } = await seedOrderWithParcel(t.storage, t.clock, store, {
      order: {
        number: '#6001',
        platformStatus: { financial_status: 'paid', fulfillment_status: 'fulfilled' },
        orderStatus: 'fulfilled',
      },
      events: [
        carrierEvent({ occurredAt: at(-120), status: 'in_transit', substatus: 'picked_up', rawCode: 'OR' }),
        carrierEvent({ occurredAt: at(-10), status: 'out_for_delivery', substatus: 'out_for_delivery', rawCode: 'OF' }),
      ],
    });

    const page = await browser.get(`/dashboard/orders/${order.id}`);

    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Order #6001');
    expect(page.body).toContain('Order status');
    expect(page.body).toContain('Shipping summary');
    expect(page.body).toMatch(/title="Order status: fulfilled">Fulfilled</);
    expect(page.body).toMatch(/title="Shipping summary: out_for_delivery">Out for delivery</);
    expect(page.body).toContain('<code>fulfillment_status</code></dt><dd><code>fulfilled</code>');
    expect(page.body).toContain(shipment.trackingNumber);
    expect(page.body).toContain('<code>OR</code>');
    expect(page.body).toContain('<code>OF</code>');
    expect(page.body).toContain('2 tracking events');
    expect(page.body).toContain('<code>pending/registered</code> → <code>out_for_delivery/out_for_delivery</code>');
    expect(page.body).toContain('<td class="small">Carrier API</td>');
    expect(page.body).toMatch(/title="Notification: planned">Planned</);
  });

  it('should answer a mistyped or cut-off link as not found, not as a form error', async () => {
    const detail = await browser.get('/dashboard/orders/not-a-real-id');
    const refresh = await browser.post('/dashboard/shipments/01a2183f-ccd7/refresh', {});

    for (const response of [detail, refresh]) {
      expect(response.statusCode).toBe(404);
      expect(response.body).toContain('the link is incomplete or mistyped');
      expect(response.body).not.toContain('Invalid UUID');
    }
  });

  it('should answer 404 for another store order, parcel and notification, and change nothing', async () => {
    const other = await seedStore(t.storage, { name: `Other ${counter}` });
    const foreign = await seedOrderWithParcel(t.storage, t.clock, other, {
      order: { number: '#X-1' },
      events: [carrierEvent({ occurredAt: at(-60), status: 'delivered', substatus: 'delivered' })],
    });
    const [notification] = await t.storage.repositories.notifications.listNotificationsForOrder(
      other.id,
      foreign.order.id,
    );

    const detail = await browser.get(`/dashboard/orders/${foreign.order.id}`);
    const refresh = await browser.post(`/dashboard/shipments/${foreign.shipment.id}/refresh`, {});
    const carrier = await browser.post(`/dashboard/shipments/${foreign.shipment.id}/carrier`, { carrier: 'DHL' });
    const delivered = await browser.post(`/dashboard/shipments/${foreign.shipment.id}/delivered`, {});
    const resend = await browser.post(`/dashboard/notifications/${notification?.id ?? ''}/resend`, {});
    const after = await t.storage.repositories.shipments.findShipmentById(other.id, foreign.shipment.id);

    for (const response of [detail, refresh, carrier, delivered, resend]) {
      expect(response.statusCode).toBe(404);
      expect(response.body).not.toContain('#X-1');
    }
    expect(after).toEqual(foreign.shipment);
  });

  it('should ask for a refresh of a parcel now', async () => {
    const { order, shipment } = await seedOrderWithParcel(t.storage, t.clock, store);

    const response = await browser.post(`/dashboard/shipments/${shipment.id}/refresh`, {});
    const after = await t.storage.repositories.shipments.findShipmentById(store.id, shipment.id);
    const page = await browser.get(response.headers.location?.toString().split('#')[0] ?? '');

    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`/dashboard/orders/${order.id}?done=refreshed#parcel-${shipment.id}`);
    expect(after?.nextCheckAt).toBe(FIXED_NOW);
    expect(page.body).toContain('Tracking refresh requested');
  });

  it('should correct the carrier as an override, journal who did it and make the parcel due again', async () => {
    const { shipment } = await seedOrderWithParcel(t.storage, t.clock, store, { carrier: 'ups' });
    await t.storage.repositories.shipments.setCarrierDetails(
      store.id,
      shipment.id,
      { trackerState: 'error_invalid_number', nextCheckAt: null },
      FIXED_NOW,
    );
    t.clock.advance(60_000);

    const response = await browser.post(`/dashboard/shipments/${shipment.id}/carrier`, { carrier: 'Federal Express' });
    const unknown = await browser.post(`/dashboard/shipments/${shipment.id}/carrier`, { carrier: 'Owl Post' });
    const after = await t.storage.repositories.shipments.findShipmentById(store.id, shipment.id);
    const journal = await t.storage.repositories.journal.listStatusChanges(store.id, [shipment.id]);

    expect(response.statusCode).toBe(303);
    expect(after).toMatchObject({
      carrier: 'fedex',
      carrierConfidence: 'overridden',
      trackerState: 'active',
      nextCheckAt: at(1),
    });
    expect(journal.at(-1)).toMatchObject({
      field: 'carrier',
      from: 'ups',
      to: 'fedex',
      cause: 'user',
      causeRef: `user:owner${counter}@example.com`,
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).toContain('is not a carrier Waymark knows');
  });

  it('should mark a parcel delivered as a merchant event, roll the order up and plan the delivered message', async () => {
    const { order, shipment } = await seedOrderWithParcel(t.storage, t.clock, store, {
      events: [carrierEvent({ occurredAt: at(-600), status: 'in_transit', substatus: 'picked_up' })],
    });
    t.clock.advance(5 * 60_000);

    const response = await browser.post(`/dashboard/shipments/${shipment.id}/delivered`, {});
    const again = await browser.post(`/dashboard/shipments/${shipment.id}/delivered`, {});
    const events = await t.storage.repositories.events.listEventsForShipment(shipment.id);
    const after = await t.storage.repositories.orders.findOrderById(store.id, order.id);
    const journal = await t.storage.repositories.journal.listStatusChanges(store.id, [shipment.id]);
    const notifications = await t.storage.repositories.notifications.listNotificationsForOrder(store.id, order.id);

    expect(response.statusCode).toBe(303);
    expect(events.at(-1)).toMatchObject({
      source: 'merchant',
      status: 'delivered',
      rawCode: 'merchant_marked_delivered',
    });
    expect(after?.shippingSummary).toBe('delivered');
    expect(journal.at(-1)).toMatchObject({ field: 'shipping_status', to: 'delivered/delivered', cause: 'user' });
    expect(notifications.map((n) => `${n.milestone}/${n.channel}`)).toContain('delivered/email');
    expect(again.statusCode).toBe(409);
  });

  it('should refuse to mark a parcel on its way back to the sender delivered, keeping no event', async () => {
    const { shipment } = await seedOrderWithParcel(t.storage, t.clock, store, {
      events: [carrierEvent({ occurredAt: at(-60), status: 'return_to_sender', substatus: 'returning' })],
    });

    const response = await browser.post(`/dashboard/shipments/${shipment.id}/delivered`, {});
    const events = await t.storage.repositories.events.listEventsForShipment(shipment.id);

    expect(response.statusCode).toBe(409);
    expect(events).toHaveLength(1);
  });

  it('should resend a sent notification once with a new key, and not while a resend waits', async () => {
    const { order } = await seedOrderWithParcel(t.storage, t.clock, store, {
      events: [carrierEvent({ occurredAt: at(-60), status: 'out_for_delivery', substatus: 'out_for_delivery' })],
    });
    const [first] = (await t.storage.repositories.notifications.listNotificationsForOrder(store.id, order.id)).filter(
      (n) => n.channel === 'email',
    );
    if (!first) throw new Error('no email planned');
    const waiting = await browser.post(`/dashboard/notifications/${first.id}/resend`, {});
    await t.testStorage.database.db
      .updateTable('notification')
      .set({ state: 'sent', next_attempt_at: null })
      .where('id', '=', first.id)
      .execute();

    const resent = await browser.post(`/dashboard/notifications/${first.id}/resend`, {});
    const doubleClick = await browser.post(`/dashboard/notifications/${first.id}/resend`, {});
    const rows = await t.storage.repositories.notifications.listNotificationsForOrder(store.id, order.id);
    const copies = rows.filter((n) => n.idempotencyKey.startsWith(`${first.idempotencyKey}:resend:`));

    expect(waiting.statusCode).toBe(409);
    expect(resent.statusCode).toBe(303);
    expect(doubleClick.statusCode).toBe(409);
    expect(copies).toHaveLength(1);
    expect(copies[0]).toMatchObject({
      idempotencyKey: `${first.idempotencyKey}:resend:1`,
      state: 'planned',
      milestone: first.milestone,
      channel: 'email',
      recipient: first.recipient,
    });
    expect(copies[0]?.payload).toMatchObject({ resendOf: first.id, requestedBy: `user:owner${counter}@example.com` });
  });

  it('should export the filtered orders as CSV with formula cells defused', async () => {
    await seedOrderWithParcel(t.storage, t.clock, store, {
      order: {
        number: '#7001',
        customer: { email: 'x@example.com', name: '=HYPERLINK("http://evil")', phone: null, language: null },
      },
    });
    await seedOrderWithParcel(t.storage, t.clock, store, { order: { number: '#7002' }, carrier: 'dhl' });

    const response = await browser.get('/dashboard/orders?carrier=ups&format=csv');
    const lines = response.body.split('\r\n');

    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/csv');
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="orders-shop-\d+\.csv"$/);
    expect(lines[0]).toBe(
      'order_number,placed_at,customer_name,customer_email,order_status,financial_status,shipping_summary,carrier,tracking_number,shipping_status,substatus,tracker_state,delivered_at',
    );
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(`#7001,${FIXED_NOW},"'=HYPERLINK(""http://evil"")",x@example.com`);
  });
});
