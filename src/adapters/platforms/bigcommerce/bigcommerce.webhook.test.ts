import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDomainError } from '../../../core/errors.js';
import type { PlatformWebhookContent, WebhookHeaders } from '../../../core/ports/platform.port.js';
import type { StoreSecrets } from '../../../core/store/store.js';
import { createBigCommerceWebhookHandler, standardWebhooksKey } from './bigcommerce.webhook.js';

const handler = createBigCommerceWebhookHandler();
const SECRET = 'wm-hook-3b1f7c0e9a2d4c58b6e1';
const OLD_SECRET = 'wm-hook-old-77a0c2d9e4f1';
/** An app client secret, as BigCommerce's samples hand it to the Standard Webhooks libraries: base64. */
const CLIENT_SECRET = 'bc-client-secret-for-tests-only';
const STANDARD_SECRET = `whsec_${Buffer.from(CLIENT_SECRET).toString('base64')}`;
const NOW = '2024-10-08T09:41:10.000Z';
const NOW_SECONDS = String(Date.parse(NOW) / 1000);

function fixtureBytes(name: string): Buffer {
  return readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url));
}

function fixture(name: string): unknown {
  return JSON.parse(fixtureBytes(name).toString('utf8'));
}

function secrets(overrides: Partial<StoreSecrets> = {}): StoreSecrets {
  return { webhookSecret: SECRET, previousWebhookSecret: null, credentials: {}, ...overrides };
}

/** Signed independently of the handler, from the Standard Webhooks spec. */
function sign(rawBody: Buffer, id: string, timestamp: string, clientSecret = CLIENT_SECRET): string {
  const mac = createHmac('sha256', Buffer.from(clientSecret))
    .update(Buffer.concat([Buffer.from(`${id}.${timestamp}.`), rawBody]))
    .digest('base64');
  return `v1,${mac}`;
}

function signedHeaders(rawBody: Buffer, overrides: WebhookHeaders = {}): WebhookHeaders {
  return {
    'x-waymark-webhook-secret': SECRET,
    'webhook-id': 'msg_2mXfN3c0aZq8',
    'webhook-timestamp': NOW_SECONDS,
    'webhook-signature': sign(rawBody, 'msg_2mXfN3c0aZq8', NOW_SECONDS),
    ...overrides,
  };
}

const standard = secrets({
  credentials: { accessToken: 't', storeHash: 'h', standardWebhooksSecret: STANDARD_SECRET },
});
const body = fixtureBytes('own_webhook.store_order_updated.json');

describe('verify: the custom secret header', () => {
  it('accepts the store secret in X-Waymark-Webhook-Secret', () => {
    const result = handler.verify({
      rawBody: body,
      headers: { 'x-waymark-webhook-secret': SECRET },
      secrets: secrets(),
      now: NOW,
    });
    expect(result).toEqual({ ok: true });
  });

  it('finds the header whatever its case', () => {
    const result = handler.verify({
      rawBody: body,
      headers: { 'X-Waymark-Webhook-Secret': SECRET },
      secrets: secrets(),
      now: NOW,
    });
    expect(result.ok).toBe(true);
  });

  it.each<[string, WebhookHeaders, RegExp]>([
    ['a missing header', {}, /missing X-Waymark-Webhook-Secret/],
    ['a wrong secret', { 'x-waymark-webhook-secret': 'wm-hook-guess' }, /does not match/],
    ['the secret with one character more', { 'x-waymark-webhook-secret': `${SECRET}x` }, /does not match/],
    ['an empty header', { 'x-waymark-webhook-secret': '' }, /does not match/],
    ['a repeated header', { 'x-waymark-webhook-secret': [SECRET, SECRET] }, /missing/],
  ])('rejects %s', (_label, headers, reason) => {
    const result = handler.verify({ rawBody: body, headers, secrets: secrets(), now: NOW });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(reason);
  });

  it('accepts the previous secret during a rotation, and only then', () => {
    const headers = { 'x-waymark-webhook-secret': OLD_SECRET };
    expect(
      handler.verify({ rawBody: body, headers, secrets: secrets({ previousWebhookSecret: OLD_SECRET }), now: NOW }),
    ).toEqual({ ok: true });
    expect(handler.verify({ rawBody: body, headers, secrets: secrets(), now: NOW }).ok).toBe(false);
  });

  it('accepts the new secret during a rotation too', () => {
    const result = handler.verify({
      rawBody: body,
      headers: { 'x-waymark-webhook-secret': SECRET },
      secrets: secrets({ previousWebhookSecret: OLD_SECRET }),
      now: NOW,
    });
    expect(result.ok).toBe(true);
  });

  it('rejects everything when the store has no webhook secret', () => {
    const result = handler.verify({
      rawBody: body,
      headers: { 'x-waymark-webhook-secret': '' },
      secrets: secrets({ webhookSecret: null }),
      now: NOW,
    });
    expect(result).toEqual({ ok: false, reason: 'no webhook secret is configured for this store' });
  });
});

describe('verify: Standard Webhooks, when the store has standardWebhooksSecret', () => {
  it('accepts a valid signature over the raw bytes', () => {
    expect(handler.verify({ rawBody: body, headers: signedHeaders(body), secrets: standard, now: NOW })).toEqual({
      ok: true,
    });
  });

  it('accepts a secret written without the whsec_ prefix', () => {
    const unprefixed = secrets({ credentials: { standardWebhooksSecret: STANDARD_SECRET.slice('whsec_'.length) } });
    expect(handler.verify({ rawBody: body, headers: signedHeaders(body), secrets: unprefixed, now: NOW }).ok).toBe(
      true,
    );
  });

  it('accepts any of several space-separated signatures (sender rotating its secret)', () => {
    const signature = `v1,${Buffer.alloc(32, 7).toString('base64')} v1a,ignored ${sign(body, 'msg_2mXfN3c0aZq8', NOW_SECONDS)}`;
    const headers = signedHeaders(body, { 'webhook-signature': signature });
    expect(handler.verify({ rawBody: body, headers, secrets: standard, now: NOW }).ok).toBe(true);
  });

  it.each<[string, WebhookHeaders, RegExp]>([
    ['a missing signature', { 'webhook-signature': undefined }, /missing webhook-id/],
    ['a missing id', { 'webhook-id': undefined }, /missing webhook-id/],
    ['a missing timestamp', { 'webhook-timestamp': undefined }, /missing webhook-id/],
    [
      'a signature by another secret',
      { 'webhook-signature': sign(body, 'msg_2mXfN3c0aZq8', NOW_SECONDS, 'other') },
      /does not match/,
    ],
    ['a signature for another id', { 'webhook-id': 'msg_other' }, /does not match/],
    [
      'an unversioned signature',
      { 'webhook-signature': sign(body, 'msg_2mXfN3c0aZq8', NOW_SECONDS).slice(3) },
      /does not match/,
    ],
    [
      'a truncated signature',
      { 'webhook-signature': sign(body, 'msg_2mXfN3c0aZq8', NOW_SECONDS).slice(0, 20) },
      /does not match/,
    ],
    ['a timestamp that is not seconds', { 'webhook-timestamp': '2024-10-08T09:41:10Z' }, /Unix seconds/],
    [
      'the right header secret but no signature headers at all',
      { 'webhook-id': undefined, 'webhook-timestamp': undefined, 'webhook-signature': undefined },
      /missing/,
    ],
    [
      'a wrong custom header with a valid signature',
      { 'x-waymark-webhook-secret': 'nope' },
      /X-Waymark-Webhook-Secret does not match/,
    ],
  ])('rejects %s', (_label, overrides, reason) => {
    const headers = Object.fromEntries(
      Object.entries(signedHeaders(body, overrides)).filter(([, value]) => value !== undefined),
    );
    const result = handler.verify({ rawBody: body, headers, secrets: standard, now: NOW });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(reason);
  });

  it('rejects a replay: a validly signed delivery more than 5 minutes old or ahead', () => {
    for (const offsetSeconds of [-301, 301, -3600]) {
      const timestamp = String(Number(NOW_SECONDS) + offsetSeconds);
      const headers = signedHeaders(body, {
        'webhook-timestamp': timestamp,
        'webhook-signature': sign(body, 'msg_2mXfN3c0aZq8', timestamp),
      });
      const result = handler.verify({ rawBody: body, headers, secrets: standard, now: NOW });
      expect(!result.ok && result.reason).toMatch(/outside the allowed window/);
    }
  });

  it('accepts a delivery just inside the window, and a custom tolerance', () => {
    const timestamp = String(Number(NOW_SECONDS) - 299);
    const headers = signedHeaders(body, {
      'webhook-timestamp': timestamp,
      'webhook-signature': sign(body, 'msg_2mXfN3c0aZq8', timestamp),
    });
    expect(handler.verify({ rawBody: body, headers, secrets: standard, now: NOW }).ok).toBe(true);
    const strict = createBigCommerceWebhookHandler({ toleranceMs: 60_000 });
    expect(strict.verify({ rawBody: body, headers, secrets: standard, now: NOW }).ok).toBe(false);
  });

  it('rejects a tampered body', () => {
    const tampered = Buffer.from(body.toString('utf8').replace('3101', '3102'));
    const result = handler.verify({ rawBody: tampered, headers: signedHeaders(body), secrets: standard, now: NOW });
    expect(result).toEqual({ ok: false, reason: 'webhook-signature does not match the body' });
  });

  it('any change to the body breaks the signature (property)', () => {
    const headers = signedHeaders(body);
    fc.assert(
      fc.property(
        fc.nat({ max: body.length - 1 }),
        fc.integer({ min: 1, max: 255 }),
        fc.option(fc.uint8Array({ minLength: 1, maxLength: 8 }), { nil: undefined }),
        (position, flip, appended) => {
          const changed = Buffer.from(body);
          changed[position] = (changed[position] ?? 0) ^ flip;
          const candidate = appended ? Buffer.concat([changed, Buffer.from(appended)]) : changed;
          return !handler.verify({ rawBody: candidate, headers, secrets: standard, now: NOW }).ok;
        },
      ),
    );
  });

  it('a store secret that is not base64 fails closed with a reason', () => {
    const broken = secrets({ credentials: { standardWebhooksSecret: 'whsec_not base64!' } });
    const result = handler.verify({ rawBody: body, headers: signedHeaders(body), secrets: broken, now: NOW });
    expect(!result.ok && result.reason).toMatch(/standardWebhooksSecret/);
    expect(standardWebhooksKey('whsec_')).toBeNull();
  });

  it('refuses a non-positive tolerance at construction', () => {
    let error: unknown;
    try {
      createBigCommerceWebhookHandler({ toleranceMs: 0 });
    } catch (caught) {
      error = caught;
    }
    expect(isDomainError(error) && error.code).toBe('config_invalid');
  });
});

describe('deliveryId and topic', () => {
  const created = fixture('own_webhook.store_order_created.json');
  const updated = fixture('own_webhook.store_order_updated.json');

  it('is the webhook-id header when BigCommerce signs the delivery', () => {
    expect(handler.deliveryId({ 'webhook-id': 'msg_2mXfN3c0aZq8' }, updated)).toBe('msg_2mXfN3c0aZq8');
  });

  it('is otherwise built from the body hash, scope and created_at', () => {
    expect(handler.deliveryId({}, updated)).toBe(
      'store/order/updated:5c2b0a1e9f7d3c6b8a4e2d1f0c9b8a7e6d5c4b3a:1728380465',
    );
  });

  it('is the same for a redelivery of the same callback (a duplicate)', () => {
    const redelivered = JSON.parse(JSON.stringify(updated)) as unknown;
    expect(handler.deliveryId({}, redelivered)).toBe(handler.deliveryId({}, updated));
  });

  it('differs for two events about the same order, although BigCommerce gives them the same hash', () => {
    expect((created as { hash: string }).hash).toBe((updated as { hash: string }).hash);
    expect(handler.deliveryId({}, created)).not.toBe(handler.deliveryId({}, updated));
  });

  it('is null when the body has no hash', () => {
    expect(handler.deliveryId({}, { scope: 'store/order/updated' })).toBeNull();
    expect(handler.deliveryId({}, 'not an object')).toBeNull();
  });

  it('takes the topic from the body scope (BigCommerce sends no topic header)', () => {
    expect(handler.topic({}, updated)).toBe('store/order/updated');
    expect(handler.topic({}, { data: {} })).toBeNull();
    expect(handler.platform).toBe('bigcommerce');
  });
});

describe('parse', () => {
  it.each<[string, PlatformWebhookContent]>([
    ['own_webhook.store_order_created.json', { kind: 'order_reference', externalId: '3101' }],
    ['own_webhook.store_order_updated.json', { kind: 'order_reference', externalId: '3101' }],
    ['own_webhook.store_order_statusUpdated.json', { kind: 'order_reference', externalId: '3102' }],
    ['own_webhook.store_order_refund_created.json', { kind: 'order_reference', externalId: '3105' }],
    ['own_webhook.store_order_archived.json', { kind: 'order_deleted', externalId: '3107' }],
    // Shipments point at their order: data.orderId, not the shipment's own id.
    ['own_webhook.store_shipment_created.json', { kind: 'order_reference', externalId: '3102' }],
    ['own_webhook.store_shipment_deleted.json', { kind: 'order_reference', externalId: '3104' }],
  ])('%s → %j', (name, expected) => {
    const callback = fixture(name);
    expect(handler.parse(handler.topic({}, callback), callback)).toEqual(expected);
  });

  it('ignores a move to status 0 (Incomplete)', () => {
    const callback = fixture('own_webhook.store_order_statusUpdated_incomplete.json');
    expect(handler.parse(handler.topic({}, callback), callback)).toMatchObject({ kind: 'ignored' });
  });

  it.each([['own_webhook.store_order_message_created.json'], ['own_webhook.store_product_updated.json']])(
    'ignores %s',
    (name) => {
      const callback = fixture(name);
      const content = handler.parse(handler.topic({}, callback), callback);
      expect(content.kind).toBe('ignored');
      expect(content.kind === 'ignored' && content.reason).toMatch(/scope store\//);
    },
  );

  it('reads the documented BigCommerce example shape (ids as numbers, store_id as text)', () => {
    const callback = {
      scope: 'store/order/statusUpdated',
      store_id: '1025646',
      data: { type: 'order', id: 250, status: { previous_status_id: 0, new_status_id: 11 } },
      hash: '7ee67cd1cf2ca60bc1aa9e5fe957d2de373be4ca',
      created_at: 1561479335,
      producer: 'stores/{store_hash}',
    };
    expect(handler.parse('store/order/statusUpdated', callback)).toEqual({
      kind: 'order_reference',
      externalId: '250',
    });
  });

  it('uses the body scope when no topic was passed', () => {
    expect(handler.parse(null, fixture('own_webhook.store_order_archived.json'))).toEqual({
      kind: 'order_deleted',
      externalId: '3107',
    });
  });

  it.each<[string, unknown, RegExp]>([
    ['a body that is not an object', 'hello', /\(root\)/],
    ['no data', { scope: 'store/order/updated' }, /at data/],
    ['no order id', { scope: 'store/order/updated', data: { type: 'order' } }, /at data\.id/],
    ['an id that is not a number', { scope: 'store/order/updated', data: { id: 'abc' } }, /at data\.id/],
    ['a negative id', { scope: 'store/order/updated', data: { id: -4 } }, /at data\.id/],
    [
      'a shipment without its order',
      { scope: 'store/shipment/created', data: { type: 'shipment', id: 12 } },
      /data\.orderId/,
    ],
  ])('rejects %s with invalid_input', (_label, callback, message) => {
    let error: unknown;
    try {
      handler.parse(handler.topic({}, callback), callback);
    } catch (caught) {
      error = caught;
    }
    expect(isDomainError(error) && error.code).toBe('invalid_input');
    expect((error as Error).message).toMatch(message);
  });
});
