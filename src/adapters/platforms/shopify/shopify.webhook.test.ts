import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDomainError } from '../../../core/errors.js';
import type { WebhookHeaders } from '../../../core/ports/platform.port.js';
import type { StoreSecrets } from '../../../core/store/store.js';
import { createShopifyWebhookHandler, signShopifyWebhook } from './shopify.webhook.js';

const SECRET = 'shpss_current_app_client_secret';
const OLD_SECRET = 'shpss_previous_app_client_secret';
const NOW = '2025-03-09T22:05:03.000Z';

function fixtureText(name: string): string {
  return readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');
}

/** The bare resource, as a webhook delivers it (the copied GET answers carry a wrapper). */
function webhookBody(name: string, wrapper?: string): Buffer {
  const parsed = JSON.parse(fixtureText(name)) as Record<string, unknown>;
  return Buffer.from(JSON.stringify(wrapper ? parsed[wrapper] : parsed));
}

function secrets(overrides: Partial<StoreSecrets> = {}): StoreSecrets {
  return { webhookSecret: SECRET, previousWebhookSecret: null, credentials: {}, ...overrides };
}

function deliveryHeaders(rawBody: Buffer, overrides: WebhookHeaders = {}): WebhookHeaders {
  return {
    'x-shopify-topic': 'orders/updated',
    'x-shopify-hmac-sha256': signShopifyWebhook(rawBody, SECRET),
    'x-shopify-shop-domain': 'waymark-test.myshopify.com',
    'x-shopify-api-version': '2025-01',
    'x-shopify-webhook-id': 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
    'x-shopify-event-id': '98880550-7158-44d4-b7cd-2c97c8a091b5',
    'x-shopify-triggered-at': '2025-03-09T22:05:01.123456Z',
    ...overrides,
  };
}

const handler = createShopifyWebhookHandler();

describe('Shopify webhook signature', () => {
  const rawBody = webhookBody('own_rest_fulfilled_multi_tracking.json');

  it('is base64 HMAC-SHA256 of the raw body', () => {
    // Computed independently: printf '%s' '{"id":1}' | openssl dgst -sha256 -hmac secret -binary | base64
    expect(signShopifyWebhook('{"id":1}', 'secret')).toBe('A971iWIMgT8Zj9A9eWfikrFj7wQ16/Qwcc4OlRl2PLc=');
  });

  it('accepts a delivery signed with the current secret', () => {
    expect(handler.verify({ rawBody, headers: deliveryHeaders(rawBody), secrets: secrets(), now: NOW })).toEqual({
      ok: true,
    });
  });

  it('accepts the previous secret during a rotation, and only while it is configured', () => {
    const headers = deliveryHeaders(rawBody, { 'x-shopify-hmac-sha256': signShopifyWebhook(rawBody, OLD_SECRET) });
    expect(
      handler.verify({ rawBody, headers, secrets: secrets({ previousWebhookSecret: OLD_SECRET }), now: NOW }),
    ).toEqual({ ok: true });
    expect(handler.verify({ rawBody, headers, secrets: secrets(), now: NOW }).ok).toBe(false);
  });

  it('reads header names in any case, and a one-element array', () => {
    const signature = signShopifyWebhook(rawBody, SECRET);
    expect(
      handler.verify({ rawBody, headers: { 'X-Shopify-Hmac-SHA256': signature }, secrets: secrets(), now: NOW }).ok,
    ).toBe(true);
    expect(
      handler.verify({ rawBody, headers: { 'x-shopify-hmac-sha256': [signature] }, secrets: secrets(), now: NOW }).ok,
    ).toBe(true);
  });

  it.each<[string, WebhookHeaders, StoreSecrets, RegExp]>([
    ['no signature header', { 'x-shopify-topic': 'orders/updated' }, secrets(), /missing X-Shopify-Hmac-Sha256/],
    ['an empty signature header', { 'x-shopify-hmac-sha256': '' }, secrets(), /missing/],
    [
      'two signature headers',
      { 'x-shopify-hmac-sha256': [signShopifyWebhook(rawBody, SECRET), signShopifyWebhook(rawBody, SECRET)] },
      secrets(),
      /missing/,
    ],
    [
      'a hex signature (Shopify sends base64)',
      { 'x-shopify-hmac-sha256': 'a'.repeat(64) },
      secrets(),
      /not a base64 HMAC-SHA256/,
    ],
    ['a truncated signature', { 'x-shopify-hmac-sha256': 'A971iWIMgT8Zj9A9' }, secrets(), /not a base64/],
    [
      'a signature made with another secret',
      { 'x-shopify-hmac-sha256': signShopifyWebhook(rawBody, 'shpss_someone_else') },
      secrets(),
      /does not match/,
    ],
    [
      'a signature of another body',
      { 'x-shopify-hmac-sha256': signShopifyWebhook('{"id":1}', SECRET) },
      secrets(),
      /does not match/,
    ],
    [
      'no secret configured',
      { 'x-shopify-hmac-sha256': signShopifyWebhook(rawBody, SECRET) },
      secrets({ webhookSecret: null }),
      /no webhook secret/,
    ],
    [
      'an empty secret configured',
      { 'x-shopify-hmac-sha256': signShopifyWebhook(rawBody, '') },
      secrets({ webhookSecret: '', previousWebhookSecret: '' }),
      /no webhook secret/,
    ],
  ])('refuses %s', (_label, headers, storeSecrets, reason) => {
    const verification = handler.verify({ rawBody, headers, secrets: storeSecrets, now: NOW });
    expect(verification.ok).toBe(false);
    expect(verification.ok === false && verification.reason).toMatch(reason);
  });

  it('refuses a body tampered with after signing, even by re-serialising it', () => {
    const headers = deliveryHeaders(rawBody);
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(rawBody.toString('utf8')), null, 2));
    expect(handler.verify({ rawBody: reserialised, headers, secrets: secrets(), now: NOW }).ok).toBe(false);
    const tampered = Buffer.from(rawBody.toString('utf8').replace('"paid"', '"refunded"'));
    expect(handler.verify({ rawBody: tampered, headers, secrets: secrets(), now: NOW }).ok).toBe(false);
  });

  it('property: any change to the body breaks the signature', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 512 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        fc.constantFrom('flip', 'append', 'truncate'),
        (bytes, position, delta, change) => {
          const original = Buffer.from(bytes);
          const headers = { 'x-shopify-hmac-sha256': signShopifyWebhook(original, SECRET) };
          expect(handler.verify({ rawBody: original, headers, secrets: secrets(), now: NOW }).ok).toBe(true);
          let changed: Buffer;
          if (change === 'flip') {
            changed = Buffer.from(original);
            const index = position % changed.length;
            changed[index] = (changed[index]! + delta) % 256;
          } else if (change === 'append') {
            changed = Buffer.concat([original, Buffer.from([delta])]);
          } else {
            changed = original.subarray(0, position % original.length);
          }
          expect(handler.verify({ rawBody: changed, headers, secrets: secrets(), now: NOW }).ok).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('Shopify webhook delivery id and topic', () => {
  const rawBody = webhookBody('own_rest_pending.json');

  it('takes the delivery id from X-Shopify-Webhook-Id, the same on every retry of the delivery', () => {
    const first = deliveryHeaders(rawBody);
    const retry = deliveryHeaders(rawBody, { 'x-shopify-triggered-at': '2025-03-09T22:06:01Z' });
    expect(handler.deliveryId(first, null)).toBe('b54557e4-bdd9-4b37-8a5f-bf7d70bcd043');
    expect(handler.deliveryId(retry, null)).toBe(handler.deliveryId(first, null));
  });

  it('falls back to X-Shopify-Event-Id, then to null', () => {
    expect(handler.deliveryId({ 'X-Shopify-Event-Id': 'evt-1' }, null)).toBe('evt-1');
    expect(handler.deliveryId({}, null)).toBeNull();
  });

  it('reads the topic from X-Shopify-Topic', () => {
    expect(handler.topic({ 'X-Shopify-Topic': 'Orders/Paid' }, null)).toBe('orders/paid');
    expect(handler.topic({}, null)).toBeNull();
    expect(handler.platform).toBe('shopify');
  });
});

describe('Shopify webhook parse', () => {
  function body(name: string, wrapper?: string): unknown {
    return JSON.parse(webhookBody(name, wrapper).toString('utf8'));
  }

  it.each([
    'orders/create',
    'orders/updated',
    'orders/cancelled',
    'orders/fulfilled',
    'orders/partially_fulfilled',
    'orders/paid',
  ])('%s → the full order', (topic) => {
    const content = handler.parse(topic, body('own_rest_partially_fulfilled.json'));
    expect(content.kind).toBe('order');
    expect(content.kind === 'order' && content.order).toMatchObject({
      externalId: '5810000000104',
      orderStatus: 'partially_fulfilled',
      platformUpdatedAt: '2025-03-07T00:12:44.000Z',
    });
  });

  it('maps the Shopify reference order as a webhook body', () => {
    const content = handler.parse('orders/updated', body('order.rest.get.json', 'order'));
    expect(content.kind === 'order' && content.order.number).toBe('#1001');
  });

  it('orders/delete → order_deleted', () => {
    expect(handler.parse('orders/delete', body('own_webhook_orders_delete.json'))).toEqual({
      kind: 'order_deleted',
      externalId: '5810000000111',
    });
  });

  it.each([
    ['fulfillments/create', body('fulfillment.rest.update_tracking.response.json', 'fulfillment')],
    ['fulfillments/update', body('fulfillment.rest.get.json', 'fulfillment')],
    [
      'fulfillment_events/create',
      (body('fulfillment_events.rest.list.json') as { fulfillment_events: unknown[] }).fulfillment_events[0],
    ],
  ])('%s → order_reference to the fulfilment’s order', (topic, fulfillmentBody) => {
    expect(handler.parse(topic, fulfillmentBody)).toEqual({ kind: 'order_reference', externalId: '450789469' });
  });

  it('orders/edited → order_reference (its body is an order edit, not an order)', () => {
    expect(handler.parse('orders/edited', body('own_webhook_orders_edited.json'))).toEqual({
      kind: 'order_reference',
      externalId: '5810000000105',
    });
  });

  it('app/uninstalled and other topics → ignored', () => {
    const uninstalled = handler.parse('app/uninstalled', body('own_webhook_app_uninstalled.json'));
    expect(uninstalled.kind).toBe('ignored');
    expect(uninstalled.kind === 'ignored' && uninstalled.reason).toMatch(/app\/uninstalled/);
    expect(handler.parse('products/update', { id: 1 })).toEqual({
      kind: 'ignored',
      reason: 'topic products/update is not one Waymark acts on',
    });
    expect(handler.parse(null, { id: 1 }).kind).toBe('ignored');
  });

  it('passes unknown statuses to the handler’s onUnknownStatus', () => {
    const seen: string[] = [];
    const reporting = createShopifyWebhookHandler({ onUnknownStatus: (value) => seen.push(value) });
    const content = reporting.parse('orders/updated', body('own_rest_unknown_status.json'));
    expect(content.kind === 'order' && content.order.orderStatus).toBe('pending');
    expect(seen).toEqual(['layaway', 'awaiting_collection', 'on_its_way_maybe']);
  });

  it.each<[string, unknown, RegExp]>([
    ['orders/updated', { id: 1 }, /created_at/],
    ['orders/updated', [], /\(root\)/],
    ['orders/delete', {}, /orders\/delete body `id`/],
    ['orders/delete', { id: 'abc' }, /orders\/delete/],
    ['fulfillments/update', { id: 1 }, /order_id/],
    ['orders/edited', { order_edit: {} }, /order_edit\.order_id/],
  ])('%s with a body of the wrong shape → invalid_input', (topic, badBody, message) => {
    let error: unknown;
    try {
      handler.parse(topic, badBody);
    } catch (caught) {
      error = caught;
    }
    expect(isDomainError(error) && error.code).toBe('invalid_input');
    expect((error as Error).message).toMatch(message);
  });
});
