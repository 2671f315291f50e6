import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';

import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';

import { isDomainError } from '../../../core/errors.js';
import type { WebhookHeaders } from '../../../core/ports/platform.port.js';
import type { StoreSecrets } from '../../../core/store/store.js';
import {
  createWooCommerceWebhookHandler,
  isWooCommerceSetupPing,
  wordpressSpecialcharsDecode,
} from './woocommerce.webhook.js';

const SECRET = 'wm_whsec_4c1f0e9a7b2d';
const PREVIOUS_SECRET = 'wm_whsec_old_93d1';
const NOW = '2026-01-20T12:00:00.000Z';
const secrets: StoreSecrets = { webhookSecret: SECRET, previousWebhookSecret: null, credentials: {} };

function fixtureText(name: string): string {
  return readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');
}

/** What `WC_Webhook::deliver` sends: the trimmed JSON body, signed over those exact bytes. */
function wooBody(name: string): Buffer {
  return Buffer.from(JSON.stringify(JSON.parse(fixtureText(name))).trim(), 'utf8');
}

function sign(body: Buffer, secret: string = SECRET): string {
  return createHmac('sha256', secret).update(body).digest('base64');
}

function deliveryHeaders(body: Buffer, overrides: WebhookHeaders = {}): WebhookHeaders {
  return {
    'content-type': 'application/json',
    'user-agent': 'WooCommerce/9.4.2 Hookshot (WordPress/6.7.1)',
    'x-wc-webhook-source': 'https://shop.example.org/',
    'x-wc-webhook-topic': 'order.updated',
    'x-wc-webhook-resource': 'order',
    'x-wc-webhook-event': 'updated',
    'x-wc-webhook-signature': sign(body),
    'x-wc-webhook-id': '12',
    'x-wc-webhook-delivery-id': '6f1c2bd0a3e94d5f8b7a6c5d4e3f2a1b',
    ...overrides,
  };
}

const handler = createWooCommerceWebhookHandler();
const body = wooBody('own_completed_shipment_tracking.json');

function verify(rawBody: Buffer, headers: WebhookHeaders, storeSecrets: StoreSecrets = secrets) {
  return handler.verify({ rawBody, headers, secrets: storeSecrets, now: NOW });
}

function invalidInput(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    if (isDomainError(error) && error.code === 'invalid_input') return error.message;
    throw error;
  }
  throw new Error('expected DomainError invalid_input');
}

describe('WooCommerce webhook signature', () => {
  it('should accept the base64 HMAC-SHA256 of the raw body keyed with the webhook secret', () => {
    expect(handler.platform).toBe('woocommerce');
    expect(verify(body, deliveryHeaders(body))).toEqual({ ok: true });
  });

  it('should find the header as WooCommerce spells it, and as a one-element array', () => {
    const signature = sign(body);
    expect(verify(body, { 'X-WC-Webhook-Signature': signature })).toEqual({ ok: true });
    expect(verify(body, { 'x-wc-webhook-signature': [signature] })).toEqual({ ok: true });
  });

  it('should accept the previous secret during a rotation, and refuse it once the rotation is over', () => {
    const signedWithOld = deliveryHeaders(body, { 'x-wc-webhook-signature': sign(body, PREVIOUS_SECRET) });
    expect(verify(body, signedWithOld, { ...secrets, previousWebhookSecret: PREVIOUS_SECRET })).toEqual({ ok: true });
    expect(verify(body, signedWithOld)).toMatchObject({ ok: false });
  });

  it('should key the HMAC like WordPress: entities in a secret copied from the admin are decoded', () => {
    const stored = 'a&amp;b&quot;c&#039;d&lt;e&gt;';
    const signedByWooCommerce = sign(body, wordpressSpecialcharsDecode(stored));
    expect(wordpressSpecialcharsDecode(stored)).toBe('a&b"c\'d<e>');
    expect(
      verify(body, { 'x-wc-webhook-signature': signedByWooCommerce }, { ...secrets, webhookSecret: stored }),
    ).toEqual({
      ok: true,
    });
  });

  it('should refuse a signature made with another secret', () => {
    const result = verify(body, deliveryHeaders(body, { 'x-wc-webhook-signature': sign(body, 'someone-else') }));
    expect(result).toEqual({ ok: false, reason: 'X-WC-Webhook-Signature does not match the body' });
  });

  it('should refuse a tampered body', () => {
    const tampered = Buffer.from(body.toString('utf8').replace('"completed"', '"cancelled"'), 'utf8');
    expect(tampered.equals(body)).toBe(false);
    expect(verify(tampered, deliveryHeaders(body))).toMatchObject({ ok: false });
  });

  it('should refuse a body re-serialised with other whitespace: the bytes are signed, not the JSON', () => {
    const pretty = Buffer.from(JSON.stringify(JSON.parse(body.toString('utf8')), null, 2), 'utf8');
    expect(verify(pretty, deliveryHeaders(body))).toMatchObject({ ok: false });
  });

  it('should refuse a missing, repeated, malformed or wrongly encoded signature without throwing', () => {
    const good = sign(body);
    const hex = createHmac('sha256', SECRET).update(body).digest('hex');
    const base64url = createHmac('sha256', SECRET).update(body).digest('base64url');
    expect(verify(body, { 'content-type': 'application/json', 'x-wc-webhook-topic': 'order.updated' })).toEqual({
      ok: false,
      reason: 'missing X-WC-Webhook-Signature',
    });
    expect(verify(body, { 'x-wc-webhook-signature': [good, good] })).toEqual({
      ok: false,
      reason: 'more than one X-WC-Webhook-Signature',
    });
    for (const signature of ['', good.slice(0, -4), `${good}AAAA`, hex, base64url, 'sha256=' + good]) {
      expect(verify(body, { 'x-wc-webhook-signature': signature })).toMatchObject({ ok: false });
    }
  });

  it('should fail closed when the store has no secret', () => {
    const none: StoreSecrets = { webhookSecret: null, previousWebhookSecret: null, credentials: {} };
    expect(verify(body, deliveryHeaders(body), none)).toEqual({
      ok: false,
      reason: 'no webhook secret is configured for this store',
    });
    expect(verify(body, deliveryHeaders(body), { ...none, webhookSecret: '' })).toMatchObject({ ok: false });
  });

  it('should break on any change to the signed bytes (property)', () => {
    const signature = sign(body);
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 1, max: 255 }), (position, flip) => {
        const changed = Buffer.from(body);
        const index = position % changed.length;
        changed[index] = (changed[index] ?? 0) ^ flip;
        return verify(changed, { 'x-wc-webhook-signature': signature }).ok === false;
      }),
      { numRuns: 300 },
    );
  });

  it('should break on any other body, appended or replaced (property)', () => {
    const signature = sign(body);
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 64 }), fc.boolean(), (extra, append) => {
        const other = append ? Buffer.concat([body, Buffer.from(extra)]) : Buffer.from(extra);
        fc.pre(!other.equals(body));
        return verify(other, { 'x-wc-webhook-signature': signature }).ok === false;
      }),
      { numRuns: 300 },
    );
  });
});

describe('WooCommerce setup ping', () => {
  const ping = Buffer.from('webhook_id=12', 'latin1');
  const pingHeaders = {
    'user-agent': 'WooCommerce/9.4.2 Hookshot (WordPress/6.7.1)',
    'content-type': 'application/x-www-form-urlencoded; charset=UTF-8',
  };

  it('should answer the unsigned webhook_id=… ping as a ping, with or without a form content type', () => {
    expect(verify(ping, pingHeaders)).toEqual({ ok: true, ping: true });
    expect(verify(ping, { 'user-agent': 'WooCommerce/9.4.2 Hookshot (WordPress/6.7.1)' })).toEqual({
      ok: true,
      ping: true,
    });
    // It needs no secret: WooCommerce sends it before any delivery.
    expect(verify(ping, pingHeaders, { webhookSecret: null, previousWebhookSecret: null, credentials: {} })).toEqual({
      ok: true,
      ping: true,
    });
  });

  it.each([
    ['an order body', body, pingHeaders],
    ['a second field', Buffer.from('webhook_id=12&x=1'), pingHeaders],
    ['a non-numeric id', Buffer.from('webhook_id=abc'), pingHeaders],
    ['a zero id', Buffer.from('webhook_id=0'), pingHeaders],
    ['a trailing newline', Buffer.from('webhook_id=12\n'), pingHeaders],
    ['a JSON ping', Buffer.from('{"webhook_id":12}'), { 'content-type': 'application/json' }],
    ['a JSON content type', ping, { 'content-type': 'application/json' }],
    ['a topic header', ping, { ...pingHeaders, 'x-wc-webhook-topic': 'order.updated' }],
    ['an empty body', Buffer.alloc(0), pingHeaders],
  ])('should not take %s for a ping', (_label, rawBody, headers) => {
    expect(isWooCommerceSetupPing(rawBody, headers)).toBe(false);
    expect(verify(rawBody, headers)).toMatchObject({ ok: false });
  });

  it('should verify, not ping-accept, a ping-shaped body that carries a signature', () => {
    expect(verify(ping, { ...pingHeaders, 'x-wc-webhook-signature': sign(Buffer.from('other')) })).toMatchObject({
      ok: false,
    });
  });
});

describe('WooCommerce delivery id and topic', () => {
  it('should read X-WC-Webhook-Delivery-ID, the same for a duplicate of one delivery', () => {
    const first = deliveryHeaders(body);
    const duplicate = { ...first };
    expect(handler.deliveryId(first, {})).toBe('6f1c2bd0a3e94d5f8b7a6c5d4e3f2a1b');
    expect(handler.deliveryId(duplicate, {})).toBe(handler.deliveryId(first, {}));
    expect(handler.deliveryId({ ...first, 'x-wc-webhook-delivery-id': 'another' }, {})).not.toBe(
      handler.deliveryId(first, {}),
    );
  });

  it('should have no delivery id or topic when the header is missing, blank or repeated', () => {
    expect(handler.deliveryId({}, {})).toBeNull();
    expect(handler.deliveryId({ 'x-wc-webhook-delivery-id': '  ' }, {})).toBeNull();
    expect(handler.deliveryId({ 'x-wc-webhook-delivery-id': ['a', 'b'] }, {})).toBeNull();
    expect(handler.topic({}, {})).toBeNull();
  });

  it('should read the topic, whatever the case of name and value', () => {
    expect(handler.topic({ 'X-WC-Webhook-Topic': ' Order.Updated ' }, {})).toBe('order.updated');
  });
});

describe('WooCommerce webhook bodies', () => {
  const orderBody = JSON.parse(body.toString('utf8')) as unknown;

  it.each(['order.created', 'order.updated', 'order.restored'])('should map a %s body to the order', (topic) => {
    const content = handler.parse(topic, orderBody);
    expect(content.kind).toBe('order');
    if (content.kind !== 'order') return;
    expect(content.order.externalId).toBe('4104');
    expect(content.order.orderStatus).toBe('fulfilled');
    expect(content.order.shipments.map((s) => s.trackingNumber)).toEqual(['PFW0000418201', '00340434161094000415']);
  });

  it('should parse the same delivery twice to the same content (duplicates are harmless)', () => {
    expect(handler.parse('order.updated', orderBody)).toEqual(handler.parse('order.updated', orderBody));
  });

  it('should map order.deleted ({"id": N}) to a deletion', () => {
    const deleted = JSON.parse(fixtureText('own_webhook_order_deleted.json')) as unknown;
    expect(handler.parse('order.deleted', deleted)).toEqual({ kind: 'order_deleted', externalId: '4111' });
    expect(handler.parse('order.deleted', { id: '4111' })).toEqual({ kind: 'order_deleted', externalId: '4111' });
  });

  it('should turn an order-status action topic into a reference to fetch', () => {
    const content = handler.parse('action.woocommerce_order_status_changed', {
      action: 'woocommerce_order_status_changed',
      arg: 4105,
    });
    expect(content).toEqual({ kind: 'order_reference', externalId: '4105' });
  });

  it.each([
    ['product.updated', { id: 93 }],
    ['customer.created', { id: 17 }],
    ['coupon.deleted', { id: 5 }],
    ['action.woocommerce_new_customer_note', { action: 'x', arg: 1 }],
  ])('should ignore %s', (topic, payload) => {
    expect(handler.parse(topic, payload)).toMatchObject({ kind: 'ignored' });
  });

  it('should ignore a delivery without a topic', () => {
    expect(handler.parse(null, orderBody)).toEqual({
      kind: 'ignored',
      reason: 'no X-WC-Webhook-Topic on the delivery',
    });
  });

  it('should hear unknown statuses through the handler’s option', () => {
    const onUnknownStatus = vi.fn();
    const listening = createWooCommerceWebhookHandler({ onUnknownStatus });
    listening.parse('order.updated', JSON.parse(fixtureText('own_unknown_plugin_status.json')));
    expect(onUnknownStatus).toHaveBeenCalledWith('awaiting-vendor-approval');
  });

  it.each([
    ['order.updated', [], /expected a JSON object/],
    ['order.updated', 'webhook_id=12', /expected a JSON object/],
    ['order.updated', { id: 4104 }, /"line_items"|"status"|"date_created_gmt"/],
    ['order.updated', { order: { id: 4104 } }, /legacy API payload/],
    ['order.deleted', { id: 0 }, /"id" must be a positive integer/],
    ['order.deleted', {}, /"id" must be a positive integer/],
    ['action.woocommerce_order_status_changed', { arg: 'x' }, /"arg" must be an order id/],
  ])('should refuse a %s body %j, saying why', (topic, payload, message) => {
    expect(invalidInput(() => handler.parse(topic, payload))).toMatch(message);
  });

  it('should say so when WooCommerce sent an error instead of the order', () => {
    const error = JSON.parse(fixtureText('own_webhook_error_payload.json')) as unknown;
    expect(invalidInput(() => handler.parse('order.updated', error))).toMatch(
      /woocommerce_rest_cannot_view.*cannot read orders/,
    );
  });
});
