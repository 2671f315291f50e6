import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { LinkSigner } from '../../../adapters/auth/signed-link.js';
import { recordTrackingEvents } from '../../../app/record-tracking-events.js';
import { upsertApiOrder } from '../../../app/upsert-api-order.js';
import type { NewTrackingEvent } from '../../../core/ports/storage.port.js';
import type { Store } from '../../../core/store/store.js';
import { launchChromium, screenshot, seriousAccessibilityViolations } from '../../../test-support/browser.js';
import { buildTestApp, type TestApp } from '../../../test-support/build-test-app.js';
import { carrierEvent, seedStore } from '../../../test-support/factories.js';

const signer = new LinkSigner(Buffer.alloc(32, 5));

/** A carrier scan with its own dedupe key and place. */
function scan(
  key: string,
  occurredAt: string,
  status: NewTrackingEvent['status'],
  substatus: NewTrackingEvent['substatus'],
  description: string,
  city = 'Louisville',
): NewTrackingEvent {
  const location = { city, region: null, postalCode: null, country: 'US' };
  return carrierEvent({ dedupeKey: key, rawCode: key, occurredAt, status, substatus, description, location });
}

describe('tracking page in Chromium', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let store: Store;
  let orderId: string;
  let shipmentId: string;
  const cspViolations: string[] = [];

  async function newPage(
    options: Parameters<Browser['newContext']>[0] = {},
  ): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ locale: 'en-US', ...options });
    const page = await context.newPage();
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
    page.on('dialog', (dialog) => {
      cspViolations.push(`a dialog opened: ${dialog.message()}`);
      void dialog.dismiss();
    });
    return { context, page };
  }

  function signedLink(): string {
    return `${base}/t/${signer.sign({ kind: 'track', storeId: store.id, orderId }, new Date('2027-06-01T00:00:00Z'))}`;
  }

  beforeAll(async () => {
    t = await buildTestApp('sqlite', {
      extraDeps: (storage) => ({ links: signer, lookupAttempts: storage.repositories.rateBudget }),
    });
    store = await seedStore(t.storage, {
      name: 'Northwind Outfitters',
      slug: 'northwind',
      platform: 'api',
      timeZone: 'America/Los_Angeles',
      branding: {
        primaryColor: '#134e4a',
        accentColor: '#0f766e',
        supportEmail: 'help@northwind.example',
        supportUrl: 'https://northwind.example/help',
      },
    });
    const { order } = await upsertApiOrder({ uow: t.storage, clock: t.clock }, store.id, {
      externalId: 'o-1',
      number: '#1042',
      orderStatus: 'fulfilled',
      customer: { email: 'ada@example.com', name: 'Ada' },
      shippingAddress: { postalCode: '97201', country: 'US' },
      lineItems: [
        { externalId: 'li-1', sku: null, name: 'Linen shirt <b>bold</b>', quantity: 1 },
        { externalId: 'li-2', sku: null, name: 'Canvas tote', quantity: 2 },
      ],
      shipments: [{ trackingNumber: '1Z5R89390357567127', carrier: 'UPS', shippedAt: '2026-11-23T18:00:00.000Z' }],
    });
    orderId = order.id;
    shipmentId = order.shipments[0]!.id;
    await recordTrackingEvents(
      { uow: t.storage, clock: t.clock },
      {
        storeId: store.id,
        shipmentId,
        cause: 'poll',
        events: [
          scan('a', '2026-11-24T01:00:00.000Z', 'in_transit', 'picked_up', 'Pickup Scan', 'Sacramento'),
          scan('b', '2026-11-25T09:30:00.000Z', 'in_transit', 'arrived_at_facility', 'Arrived at Facility', 'Portland'),
          scan(
            'c',
            '2026-11-25T12:00:00.000Z',
            'in_transit',
            'departed_facility',
            '<img src=x onerror=alert(1)>',
            'Portland',
          ),
        ],
        carrierDetails: { carrierEddFirst: '2026-11-27', carrierEddLatest: '2026-11-27' },
      },
    );
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const address = t.app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('should look an order up from the form and show it', async () => {
    const { context, page } = await newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${base}/track/northwind`);
    await screenshot(page, 'tracking-lookup-desktop');

    await page.getByLabel('Order number').fill('1042');
    await page.getByLabel('Email or postal code').fill('ADA@example.com');
    await page.getByRole('button', { name: 'Track order' }).click();

    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('On its way');
    expect(await page.getByText('Order status:').isVisible()).toBe(true);
    expect(await page.locator('.shipment .badge').textContent()).toBe('In transit');
    expect(await page.getByRole('link', { name: /1Z5R89390357567127/ }).getAttribute('href')).toBe(
      'https://www.ups.com/track?tracknum=1Z5R89390357567127',
    );
    await screenshot(page, 'tracking-order-desktop');
    await context.close();
  });

  it('should say so, without revealing anything, when the details do not match', async () => {
    const { context, page } = await newPage();
    await page.goto(`${base}/track/northwind`);

    await page.getByLabel('Order number').fill('1042');
    await page.getByLabel('Email or postal code').fill('eve@example.com');
    await page.getByRole('button', { name: 'Track order' }).click();

    await expect.poll(() => page.getByRole('alert').textContent()).toContain('find an order with these details');
    expect(await page.locator('body').textContent()).not.toContain('Linen shirt');
    await context.close();
  });

  it('should open a signed link on a phone, fit the screen, and keep hostile text inert', async () => {
    const { context, page } = await newPage({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    await page.goto(signedLink());

    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('On its way');
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(await page.getByText('<img src=x onerror=alert(1)>').isVisible()).toBe(true);
    expect(await page.getByText('Linen shirt <b>bold</b>').isVisible()).toBe(true);
    await screenshot(page, 'tracking-order-mobile');
    expect(cspViolations).toEqual([]);
    await context.close();
  });

  it('should work with JavaScript off', async () => {
    const { context, page } = await newPage({ javaScriptEnabled: false });
    await page.goto(`${base}/track/northwind`);

    await page.getByLabel('Order number').fill('#1042');
    await page.getByLabel('Email or postal code').fill('97201');
    await page.getByRole('button', { name: 'Track order' }).click();

    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('On its way');
    await context.close();
  });

  it('should refresh itself without a full reload when the parcel moves', async () => {
    const { context, page } = await newPage();
    await page.goto(signedLink());
    await page.evaluate('window.__sameDocument = true');

    await recordTrackingEvents(
      { uow: t.storage, clock: t.clock },
      {
        storeId: store.id,
        shipmentId,
        cause: 'poll',
        events: [
          scan('d', '2026-11-26T08:00:00.000Z', 'out_for_delivery', 'out_for_delivery', 'Out For Delivery', 'Portland'),
        ],
      },
    );
    // The script refreshes when the tab becomes visible (and every minute while it is).
    await page.evaluate("document.dispatchEvent(new Event('visibilitychange'))");

    await expect.poll(() => page.locator('.shipment .badge').textContent()).toBe('Out for delivery');
    expect(await page.evaluate('window.__sameDocument')).toBe(true);
    await context.close();
  });

  it('should have no serious accessibility violations on the form or the order', async () => {
    const { context, page } = await newPage({ bypassCSP: true });

    await page.goto(`${base}/track/northwind`);
    const onForm = await seriousAccessibilityViolations(page);
    await page.goto(signedLink());
    const onOrder = await seriousAccessibilityViolations(page);

    expect(onForm).toEqual([]);
    expect(onOrder).toEqual([]);
    await context.close();
  });
});
