import { expect, it } from 'vitest';

import type { Store } from '../../core/store/store.js';
import { describeEachDatabase } from '../../test-support/databases.js';
import {
  carrierEvent,
  eachTestSignedIn,
  seedOrderWithParcel,
  type Browser,
  type DashboardTestApp,
} from '../../test-support/dashboard.js';
import { FIXED_NOW, orderFields, seedStore } from '../../test-support/factories.js';

const hoursAgo = (hours: number): string => new Date(Date.parse(FIXED_NOW) - hours * 3_600_000).toISOString();

describeEachDatabase('dashboard needs attention and analytics', (dialect) => {
  let t: DashboardTestApp;
  let store: Store;
  let browser: Browser;

  let counter: number;
  eachTestSignedIn(
    dialect,
    'staff',
    (n) => ({ name: `Insight ${n}` }),
    (context) => {
      ({ t, store, browser: browser, n: counter } = context);
    },
  );

  it('should queue problem parcels, broken trackers and delayed orders oldest first with their next step', async () => {
    await seedOrderWithParcel(t.storage, t.clock, store, {
      order: { number: '#A-1' },
      events: [carrierEvent({ occurredAt: hoursAgo(30), status: 'exception', substatus: 'customs_hold' })],
    });
    await seedOrderWithParcel(t.storage, t.clock, store, {
      order: { number: '#A-2' },
      events: [carrierEvent({ occurredAt: hoursAgo(5), status: 'attempt_failed', substatus: 'recipient_unavailable' })],
    });
    const broken = await seedOrderWithParcel(t.storage, t.clock, store, { order: { number: '#A-3' } });
    await t.storage.repositories.shipments.setCarrierDetails(
      store.id,
      broken.shipment.id,
      { trackerState: 'error_carrier_auth' },
      hoursAgo(2),
    );
    await t.storage.repositories.orders.insertOrder(
      store.id,
      orderFields({ number: '#A-4', placedAt: hoursAgo(24 * 12), orderStatus: 'processing' }),
      hoursAgo(24 * 12),
    );
    await seedOrderWithParcel(t.storage, t.clock, store, {
      order: { number: '#A-5' },
      events: [carrierEvent({ occurredAt: hoursAgo(3), status: 'delivered', substatus: 'delivered' })],
    });

    const page = await browser.get('/dashboard/attention');
    const onlyFailed = await browser.get('/dashboard/attention?kind=attempt_failed');
    const csv = await browser.get('/dashboard/attention?format=csv');
    const order = (n: string) => page.body.indexOf(`>${n}</a>`);

    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('#A-5');
    expect(order('#A-4')).toBeGreaterThan(0);
    expect(order('#A-4')).toBeLessThan(order('#A-1'));
    expect(order('#A-1')).toBeLessThan(order('#A-2'));
    expect(page.body).toContain('Fulfilment delayed');
    expect(page.body).toContain('Carrier credentials missing');
    expect(page.body).toContain('Remind the customer to rebook the delivery');
    expect(page.body).toContain('<strong>30 h</strong>');
    expect(page.body).toContain('customs hold');
    expect(onlyFailed.body).toContain('#A-2');
    expect(onlyFailed.body).not.toContain('>#A-1<');
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\r\n')[0]).toBe('issue,detail,order_number,carrier,tracking_number,since,age,next_step');
    expect(csv.body).toContain('attempt_failed,recipient unavailable (consignee not home),#A-2,ups,');
  });

  it('should draw analytics from the store data only, with every table as CSV', async () => {
    const other = await seedStore(t.storage, { name: `Elsewhere ${counter}` });
    await seedOrderWithParcel(t.storage, t.clock, store, {
      order: { number: '#N-1', placedAt: hoursAgo(48), promisedDeliveryDate: '2026-11-26' },
      events: [
        carrierEvent({ occurredAt: hoursAgo(40), status: 'in_transit', substatus: 'picked_up' }),
        carrierEvent({ occurredAt: hoursAgo(2), status: 'delivered', substatus: 'delivered' }),
      ],
    });
    await t.storage.repositories.orders.insertOrder(other.id, orderFields({ placedAt: hoursAgo(5) }), FIXED_NOW);

    const page = await browser.get('/dashboard/analytics?days=7');
    const json = /<script type="application\/json" id="analytics-data">([^<]*)<\/script>/.exec(page.body)?.[1] ?? '{}';
    const charts = JSON.parse(json) as Record<
      string,
      { labels: string[]; datasets: { label: string; data: number[] }[] }
    >;
    const onTime = await browser.get('/dashboard/analytics?days=7&table=on-time&format=csv');
    const unknownTable = await browser.get('/dashboard/analytics?days=7&table=nope&format=csv');
    const badPeriod = await browser.get('/dashboard/analytics?days=13');

    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('src="/assets/vendor/chart.umd.min.js"');
    expect(page.body).toContain('src="/assets/dashboard/analytics.js"');
    expect(charts['orders-by-status']?.labels).toHaveLength(7);
    expect(charts['orders-by-status']?.datasets.map((d) => [d.label, d.data.reduce((a, b) => a + b, 0)])).toEqual([
      ['Processing', 1],
    ]);
    expect(charts['on-time']?.datasets[0]?.data).toEqual([100]);
    expect(onTime.body).toBe('Carrier,Delivered,With a promise,On time,On-time rate (%)\r\nUPS,1,1,1,100\r\n');
    expect(unknownTable.statusCode).toBe(400);
    expect(badPeriod.statusCode).toBe(400);
  });

  it('should serve Chart.js from its package with a long cache', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/assets/vendor/chart.umd.min.js' });

    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('application/javascript');
    expect(response.body).toContain('Chart');
  });
});
