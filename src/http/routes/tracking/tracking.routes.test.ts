import { afterEach, beforeEach, expect, it } from 'vitest';

import { LinkSigner } from '../../../adapters/auth/signed-link.js';
import { recordTrackingEvents } from '../../../app/record-tracking-events.js';
import { upsertApiOrder } from '../../../app/upsert-api-order.js';
import type { NewTrackingEvent } from '../../../core/ports/storage.port.js';
import type { Store } from '../../../core/store/store.js';
import { buildTestApp, errorOf, type TestApp } from '../../../test-support/build-test-app.js';
import { describeEachDatabase } from '../../../test-support/databases.js';
import { carrierEvent, seedStore } from '../../../test-support/factories.js';

const signer = new LinkSigner(Buffer.alloc(32, 3));

/** A carrier scan with its own dedupe key and place. */
function scan(
  key: string,
  occurredAt: string,
  status: NewTrackingEvent['status'],
  substatus: NewTrackingEvent['substatus'],
  description: string,
  city = 'Louisville',
): NewTrackingEvent {
  const location = { city, region: 'KY', postalCode: null, country: 'US' };
  return carrierEvent({ dedupeKey: key, rawCode: key, occurredAt, status, substatus, description, location });
}
const HOSTILE = '<script>alert("x")</script>';

function form(fields: Record<string, string>): { payload: string; headers: Record<string, string> } {
  return {
    payload: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  };
}

/** Responses differ only in their nonce and what the visitor typed; this removes both. */
function comparable(html: string, typed: string[]): string {
  let result = html.replace(/nonce="[^"]+"/g, 'nonce=""');
  for (const value of typed) result = result.replaceAll(value, '…');
  return result;
}

describeEachDatabase('tracking page', (dialect) => {
  let t: TestApp;
  let store: Store;
  let orderId: string;

  async function post(fields: Record<string, string>, remoteAddress = '203.0.113.7') {
    return t.app.inject({ method: 'POST', url: `/track/${store.slug}`, remoteAddress, ...form(fields) });
  }

  beforeEach(async () => {
    t = await buildTestApp(dialect, {
      extraDeps: (storage) => ({ links: signer, lookupAttempts: storage.repositories.rateBudget }),
    });
    store = await seedStore(t.storage, {
      name: 'Northwind',
      slug: 'northwind',
      platform: 'api',
      locale: 'en',
      timeZone: 'America/New_York',
      branding: { primaryColor: '#0f766e', supportEmail: 'help@northwind.example' },
    });
    const { order } = await upsertApiOrder({ uow: t.storage, clock: t.clock }, store.id, {
      externalId: 'o-1',
      number: '#1042',
      orderStatus: 'fulfilled',
      customer: { email: 'Ada@Example.com', name: 'Ada Lovelace', phone: '+14155550100' },
      shippingAddress: { city: 'Portland', region: 'OR', postalCode: '97201', country: 'US' },
      lineItems: [{ externalId: 'li-1', sku: null, name: `Lamp ${HOSTILE}`, quantity: 2 }],
      shipments: [{ trackingNumber: '1Z5R89390357567127', carrier: 'UPS', shippedAt: '2026-11-24T10:00:00.000Z' }],
    });
    orderId = order.id;
    const shipmentId = order.shipments[0]!.id;
    await recordTrackingEvents(
      { uow: t.storage, clock: t.clock },
      {
        storeId: store.id,
        shipmentId,
        cause: 'poll',
        events: [
          scan('a', '2026-11-24T18:00:00.000Z', 'in_transit', 'picked_up', 'Pickup Scan'),
          scan('b', '2026-11-25T09:30:00.000Z', 'in_transit', 'departed_facility', `Departed ${HOSTILE}`),
        ],
        carrierDetails: { carrierEddFirst: '2026-11-27', carrierEddLatest: '2026-11-27' },
      },
    );
  });
  afterEach(async () => {
    await t.close();
  });

  it('should offer a labelled look-up form under a strict Content-Security-Policy', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/track/northwind' });

    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('<html lang="en">');
    expect(response.body).toMatch(/<label for="order">Order number<\/label>\s*<input id="order" name="order"/);
    expect(response.body).toMatch(/<label for="email">Email or postal code<\/label>\s*<input id="email" name="email"/);
    expect(response.body).toContain('method="post" action="/track/northwind"');
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self';");
    const nonce = /nonce="([^"]+)"/.exec(response.body)?.[1];
    expect(csp).toContain(`style-src 'self' 'nonce-${nonce}'`);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.headers['cache-control']).toBe('private, no-store');
  });

  it('should answer 404 for a store that does not exist', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/track/nobody-here' });

    expect(response.statusCode).toBe(404);
    expect(response.body).toContain('This tracking page does not exist.');
  });

  it('should show the order with both statuses named apart after a look-up by email in any case', async () => {
    const response = await post({ order: '1042', email: ' ada@EXAMPLE.com ' });

    expect(response.statusCode).toBe(200);
    const html = response.body;
    expect(html).toContain('Order #1042');
    expect(html).toMatch(/Order status:<\/span> <span class="badge">Shipped<\/span>/);
    expect(html).toMatch(/Shipping status:<\/span> <span class="badge tone-progress">In transit<\/span>/);
    expect(html).toContain('UPS');
    expect(html).toContain('1Z5R89390357567127');
    expect(html).toContain('href="https://www.ups.com/track?tracknum=1Z5R89390357567127"');
    expect(html).toContain('Pickup Scan');
    expect(html).toContain('Louisville, KY, US');
    expect(html).toContain('Estimated delivery');
    expect(html).toMatch(/data-refresh-url="\/t\/[A-Za-z0-9_-]+"/);
    expect(html).toContain('mailto:help@northwind.example');
    // Nothing beyond what the page is for: no contact details or address of the customer.
    expect(html.toLowerCase()).not.toContain('ada@example.com');
    expect(html).not.toContain('Ada Lovelace');
    expect(html).not.toContain('+14155550100');
    expect(html).not.toContain('97201');
  });

  it('should find the order by its delivery postal code', async () => {
    const response = await post({ order: '#1042', email: '97201' });

    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('Order #1042');
  });

  it('should give the same answer for a wrong email as for an order that does not exist', async () => {
    const wrongEmail = await post({ order: '1042', email: 'eve@example.com' });
    const noSuchOrder = await post({ order: '9999', email: 'eve@example.com' });

    expect(wrongEmail.statusCode).toBe(404);
    expect(noSuchOrder.statusCode).toBe(404);
    expect(wrongEmail.body).toContain('find an order with these details.');
    expect(comparable(wrongEmail.body, ['1042'])).toBe(comparable(noSuchOrder.body, ['9999']));
  });

  it('should refuse further look-ups from a client after ten failures, even a correct one, until the window ends', async () => {
    for (let attempt = 0; attempt < 10; attempt += 1) {
      expect((await post({ order: `${5000 + attempt}`, email: 'x@example.com' })).statusCode).toBe(404);
    }

    const blocked = await post({ order: '1042', email: 'ada@example.com' });
    expect(blocked.statusCode).toBe(429);
    expect(blocked.headers['retry-after']).toMatch(/^\d+$/);
    expect(blocked.body).toContain('Too many attempts.');
    expect((await post({ order: '1042', email: 'ada@example.com' }, '198.51.100.9')).statusCode).toBe(200);

    t.clock.advance(15 * 60_000);
    expect((await post({ order: '1042', email: 'ada@example.com' })).statusCode).toBe(200);
  });

  it('should refuse look-ups of one order after five failures from any clients', async () => {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      expect(
        (await post({ order: '1042', email: `guess${attempt}@example.com` }, `192.0.2.${attempt}`)).statusCode,
      ).toBe(404);
    }

    expect((await post({ order: '1042', email: 'ada@example.com' }, '192.0.2.200')).statusCode).toBe(429);
  });

  it('should open the order from a signed link, refresh it as a fragment, and refuse a tampered one', async () => {
    const token = signer.sign({ kind: 'track', storeId: store.id, orderId }, new Date('2027-01-01T00:00:00Z'));

    const page = await t.app.inject({ method: 'GET', url: `/t/${token}` });
    const fragment = await t.app.inject({ method: 'GET', url: `/t/${token}`, headers: { 'x-waymark-fragment': '1' } });
    const tampered = await t.app.inject({ method: 'GET', url: `/t/${token.slice(0, -2)}AA` });

    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Order #1042');
    expect(page.body).toContain(`data-refresh-url="/t/${token}"`);
    expect(fragment.statusCode).toBe(200);
    expect(fragment.body).toContain('Order #1042');
    expect(fragment.body).not.toContain('<html');
    expect(tampered.statusCode).toBe(404);
    expect(tampered.body).toContain('This tracking link is not valid.');
  });

  it('should turn an expired link into the look-up form of its store', async () => {
    const token = signer.sign({ kind: 'track', storeId: store.id, orderId }, new Date('2026-11-01T00:00:00Z'));

    const response = await t.app.inject({ method: 'GET', url: `/t/${token}` });

    expect(response.statusCode).toBe(410);
    expect(response.body).toContain('This tracking link has expired.');
    expect(response.body).toContain('action="/track/northwind"');
    expect(response.body).not.toContain('#1042');
  });

  it('should not open another store’s order from a link naming this store', async () => {
    const other = await seedStore(t.storage, { name: 'Other', slug: 'other', platform: 'api' });
    const token = signer.sign({ kind: 'track', storeId: other.id, orderId }, new Date('2027-01-01T00:00:00Z'));

    expect((await t.app.inject({ method: 'GET', url: `/t/${token}` })).statusCode).toBe(404);
  });

  it('should render hostile order data as inert text', async () => {
    await upsertApiOrder({ uow: t.storage, clock: t.clock }, store.id, {
      externalId: 'o-evil',
      number: `<img src=x onerror=alert(1)>`,
      orderStatus: 'processing',
      customer: { email: 'mallory@example.com' },
      lineItems: [{ externalId: 'li-9', sku: null, name: `"><svg onload=alert(2)>`, quantity: 1 }],
    });

    const response = await post({ order: '<img src=x onerror=alert(1)>', email: 'mallory@example.com' });
    const html = response.body;

    expect(response.statusCode).toBe(200);
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<svg onload');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&quot;&gt;&lt;svg onload=alert(2)&gt;');
    expect(html.match(/<script/g)).toHaveLength(1);
  });

  it('should speak the browser’s language, else the store’s', async () => {
    const french = await t.app.inject({
      method: 'GET',
      url: '/track/northwind',
      headers: { 'accept-language': 'ja;q=0.9, fr-CA;q=0.8, en;q=0.1' },
    });
    await seedStore(t.storage, { name: 'Berlin', slug: 'berlin', platform: 'api', locale: 'de' });
    const storeDefault = await t.app.inject({
      method: 'GET',
      url: '/track/berlin',
      headers: { 'accept-language': 'ja' },
    });

    expect(french.body).toContain('<html lang="fr">');
    expect(french.body).toContain('Numéro de commande');
    expect(storeDefault.body).toContain('<html lang="de">');
    expect(storeDefault.body).toContain('Bestellnummer');
  });

  it('should serve the same view as JSON to a merchant’s site, with the same protections', async () => {
    const found = await t.app.inject({
      method: 'GET',
      url: '/api/public/track/northwind?order=1042&email=ada%40example.com',
    });
    const wrong = await t.app.inject({ method: 'GET', url: '/api/public/track/northwind?order=1042&email=97000' });
    const missing = await t.app.inject({ method: 'GET', url: '/api/public/track/northwind?order=1042' });

    expect(found.statusCode).toBe(200);
    expect(found.headers['access-control-allow-origin']).toBe('*');
    const view = found.json<{ order: { number: string; statusLabel: string }; shipments: { statusLabel: string }[] }>();
    expect(view.order).toMatchObject({ number: '#1042', statusLabel: 'Shipped' });
    expect(view.shipments[0]?.statusLabel).toBe('In transit');
    expect(found.body.toLowerCase()).not.toContain('ada@example.com');
    expect(wrong.statusCode).toBe(404);
    expect(errorOf(wrong).code).toBe('not_found');
    expect(missing.statusCode).toBe(400);
  });

  it('should keep a page with three parcels and a long history under 50 KB', async () => {
    const { order } = await upsertApiOrder({ uow: t.storage, clock: t.clock }, store.id, {
      externalId: 'o-big',
      number: '2000',
      orderStatus: 'fulfilled',
      customer: { email: 'big@example.com' },
      lineItems: [{ externalId: 'li-1', sku: null, name: 'Chair', quantity: 3 }],
      shipments: ['1Z5R89390357567101', '1Z5R89390357567102', '1Z5R89390357567103'].map((trackingNumber) => ({
        trackingNumber,
        carrier: 'ups',
      })),
    });
    for (const shipment of order.shipments) {
      const events = Array.from({ length: 40 }, (_, i) =>
        scan(
          `${shipment.id}-${i}`,
          new Date(Date.parse('2026-11-10T00:00:00Z') + i * 3_600_000).toISOString(),
          'in_transit',
          'arrived_at_facility',
          'Arrived at facility, sorting in progress',
        ),
      );
      await recordTrackingEvents(
        { uow: t.storage, clock: t.clock },
        { storeId: store.id, shipmentId: shipment.id, cause: 'poll', events },
      );
    }

    const response = await post({ order: '2000', email: 'big@example.com' });

    expect(response.statusCode).toBe(200);
    expect(response.body.match(/<section class="card shipment/g)).toHaveLength(3);
    expect(Buffer.byteLength(response.body)).toBeLessThan(50 * 1024);
  });

  it('should show sample data in the branding preview, framable by the dashboard only', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/track/northwind?preview=1' });

    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('Preview with sample data');
    expect(response.body).toContain('--brand:#0f766e');
    expect(String(response.headers['content-security-policy'])).toContain("frame-ancestors 'self'");
  });

  it('should preview unsaved branding from the query, keeping it as safe as saved branding', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: '/track/northwind?preview=1&displayName=Draft%20%3Cb%3EName&primaryColor=%23fde68a&accentColor=red;x&logoUrl=http://x.example/l.png',
    });

    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('--brand:#fde68a;--on-brand:#000000;--accent:#2563eb');
    expect(response.body).toContain('Draft &lt;b&gt;Name');
    expect(response.body).not.toContain('x.example');
    expect(response.body).not.toContain('#1042');
  });

  it('should answer a request it cannot read with a page, and the JSON route with the envelope', async () => {
    const doubled = await t.app.inject({ method: 'GET', url: '/track/northwind?preview=a&preview=b' });
    const overlong = await t.app.inject({ method: 'GET', url: `/track/${'s'.repeat(300)}` });
    const huge = await post({ order: '1042', email: 'x'.repeat(5000) });
    const json = await t.app.inject({ method: 'GET', url: '/api/public/track/northwind?order=1&order=2&email=a' });

    for (const response of [doubled, overlong, huge]) {
      expect(response.statusCode).toBeGreaterThanOrEqual(400);
      expect(response.statusCode).toBeLessThan(500);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.body).toContain('This request could not be understood.');
    }
    expect(huge.statusCode).toBe(413);
    expect(json.statusCode).toBe(400);
    expect(errorOf(json).code).toBe('invalid_input');
  });

  it('should unsubscribe through a signed link and refuse a tracking link in its place', async () => {
    const expires = new Date('2027-01-01T00:00:00Z');
    const unsubscribe = signer.sign(
      { kind: 'unsubscribe', storeId: store.id, channel: 'email', recipient: 'ada@example.com' },
      expires,
    );
    const tracking = signer.sign({ kind: 'track', storeId: store.id, orderId }, expires);

    const done = await t.app.inject({ method: 'GET', url: `/u/${unsubscribe}` });
    const refused = await t.app.inject({ method: 'GET', url: `/u/${tracking}` });

    expect(done.statusCode).toBe(200);
    expect(await t.storage.repositories.notifications.isOptedOut(store.id, 'email', 'ada@example.com')).toBe(true);
    expect(refused.statusCode).toBe(404);
  });
});
