import { createHmac, generateKeyPairSync, sign as rsaSign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';

import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';

import { isDomainError } from '../../../core/errors.js';
import type { WebhookVerification } from '../../../core/ports/platform.port.js';
import type { StoreSecrets } from '../../../core/store/store.js';
import {
  ADOBE_COMMERCE_WEBHOOK_SIGNATURE_HEADER,
  MAGENTO_ASYNC_EVENTS_SIGNATURE_HEADER,
  createMagentoWebhookHandler,
} from './magento.webhook.js';

const TOKEN = 'async-events-verification-token';
const OLD_TOKEN = 'the-token-before-rotation';
const NOW = '2026-11-26T12:00:00.000Z';

function rawFixture(name: string): Buffer {
  return readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url));
}

function parsed(body: Buffer): unknown {
  return JSON.parse(body.toString('utf8'));
}

function secrets(webhookSecret: string | null, previousWebhookSecret: string | null = null): StoreSecrets {
  return { webhookSecret, previousWebhookSecret, credentials: {} };
}

/** What the async-events module sends: hex HMAC-SHA256 of the body, keyed with the verification token. */
function hmacHex(body: Buffer, token: string = TOKEN): string {
  return createHmac('sha256', token).update(body).digest('hex');
}

/** What Adobe Commerce sends: RSA-SHA256 over the base64 text of the body, base64-encoded. */
function adobeSignature(body: Buffer, privateKey: KeyObject): string {
  return rsaSign('sha256', Buffer.from(body.toString('base64')), privateKey).toString('base64');
}

function pem(key: KeyObject): string {
  return key.export({ type: 'spki', format: 'pem' }).toString();
}

/** Why a verification failed; fails the test if it did not. */
function reasonOf(verification: WebhookVerification): string {
  expect(verification.ok).toBe(false);
  return 'reason' in verification ? verification.reason : '';
}

const handler = createMagentoWebhookHandler();
const orderSaved = rawFixture('own_webhook_async_order_saved.json');

function verifyAsync(body: Buffer, headers: Record<string, string | string[] | undefined>, store = secrets(TOKEN)) {
  return handler.verify({ rawBody: body, headers, secrets: store, now: NOW });
}

describe('verify: async events (x-magento-signature)', () => {
  it('should accept the HMAC the module computes over the raw bytes', () => {
    expect(verifyAsync(orderSaved, { [MAGENTO_ASYNC_EVENTS_SIGNATURE_HEADER]: hmacHex(orderSaved) })).toEqual({
      ok: true,
    });
  });

  it('should find the header in any case, as a one-element array, and in upper-case hex', () => {
    expect(verifyAsync(orderSaved, { 'X-Magento-Signature': hmacHex(orderSaved) }).ok).toBe(true);
    expect(verifyAsync(orderSaved, { 'x-magento-signature': [hmacHex(orderSaved)] }).ok).toBe(true);
    expect(verifyAsync(orderSaved, { 'x-magento-signature': hmacHex(orderSaved).toUpperCase() }).ok).toBe(true);
  });

  it('should reject a signature made with another token', () => {
    const verification = verifyAsync(orderSaved, { 'x-magento-signature': hmacHex(orderSaved, 'other') });
    expect(verification).toEqual({ ok: false, reason: 'x-magento-signature does not match the body' });
  });

  it('should reject a request without a signature, or with it twice', () => {
    expect(reasonOf(verifyAsync(orderSaved, {}))).toMatch(/^no x-magento-signature or x-adobe/);
    expect(verifyAsync(orderSaved, { 'x-magento-signature': undefined }).ok).toBe(false);
    const twice = verifyAsync(orderSaved, { 'x-magento-signature': [hmacHex(orderSaved), hmacHex(orderSaved)] });
    expect(reasonOf(twice)).toMatch(/repeated/);
  });

  it('should reject a digest of the wrong length or encoding without throwing', () => {
    const good = hmacHex(orderSaved);
    for (const bad of [
      good.slice(0, -2),
      `${good}00`,
      '',
      createHmac('sha256', TOKEN).update(orderSaved).digest('base64'),
      createHmac('sha1', TOKEN).update(orderSaved).digest('hex'),
    ]) {
      expect(verifyAsync(orderSaved, { 'x-magento-signature': bad }).ok).toBe(false);
    }
  });

  it('should reject a tampered body', () => {
    const tampered = Buffer.from(orderSaved.toString('utf8').replace('"processing"', '"complete"'), 'utf8');
    expect(tampered.equals(orderSaved)).toBe(false);
    expect(verifyAsync(tampered, { 'x-magento-signature': hmacHex(orderSaved) }).ok).toBe(false);
  });

  it('should accept the previous token during a rotation, and only then', () => {
    const signedWithOld = { 'x-magento-signature': hmacHex(orderSaved, OLD_TOKEN) };
    expect(verifyAsync(orderSaved, signedWithOld, secrets(TOKEN, OLD_TOKEN)).ok).toBe(true);
    expect(verifyAsync(orderSaved, { 'x-magento-signature': hmacHex(orderSaved) }, secrets(TOKEN, OLD_TOKEN)).ok).toBe(
      true,
    );
    expect(verifyAsync(orderSaved, signedWithOld, secrets(TOKEN)).ok).toBe(false);
  });

  it('should fail closed when the store has no secret', () => {
    const verification = verifyAsync(orderSaved, { 'x-magento-signature': hmacHex(orderSaved, '') }, secrets(null));
    expect(verification).toEqual({ ok: false, reason: 'no webhook secret is configured for this store' });
    expect(verifyAsync(orderSaved, { 'x-magento-signature': hmacHex(orderSaved, '') }, secrets('')).ok).toBe(false);
  });

  it('should reject any change to the body (property)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 512 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (bytes, position, flip) => {
          const original = Buffer.from(bytes);
          const headers = { 'x-magento-signature': hmacHex(original) };
          expect(verifyAsync(original, headers).ok).toBe(true);
          const changed = Buffer.from(original);
          const at = position % changed.length;
          changed[at] = changed[at]! ^ flip;
          expect(verifyAsync(changed, headers).ok).toBe(false);
        },
      ),
    );
  });

  it('should reject a body with bytes added or removed (property)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 256 }),
        fc.uint8Array({ minLength: 1, maxLength: 8 }),
        (bytes, extra) => {
          const original = Buffer.from(bytes);
          const headers = { 'x-magento-signature': hmacHex(original) };
          expect(verifyAsync(Buffer.concat([original, Buffer.from(extra)]), headers).ok).toBe(false);
          expect(verifyAsync(original.subarray(0, original.length - 1), headers).ok).toBe(false);
        },
      ),
    );
  });
});

describe('verify: Adobe Commerce Webhooks (x-adobe-commerce-webhook-signature)', () => {
  const current = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const previous = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const body = rawFixture('own_webhook_adobe_order_save_after.json');

  function verifyAdobe(raw: Buffer, signature: string | undefined, store = secrets(pem(current.publicKey))) {
    return handler.verify({
      rawBody: raw,
      headers: { [ADOBE_COMMERCE_WEBHOOK_SIGNATURE_HEADER]: signature },
      secrets: store,
      now: NOW,
    });
  }

  it('should accept the signature Commerce makes with its private key, checked with the public key', () => {
    expect(verifyAdobe(body, adobeSignature(body, current.privateKey))).toEqual({ ok: true });
  });

  it('should check the base64 text of the body, as Commerce signs it, not the bytes themselves', () => {
    const overBytes = rsaSign('sha256', body, current.privateKey).toString('base64');
    expect(verifyAdobe(body, overBytes).ok).toBe(false);
  });

  it('should reject a signature from another key pair, a tampered body and garbage', () => {
    expect(verifyAdobe(body, adobeSignature(body, previous.privateKey)).ok).toBe(false);
    const tampered = Buffer.from(body.toString('utf8').replace('"104"', '"105"'), 'utf8');
    expect(verifyAdobe(tampered, adobeSignature(body, current.privateKey)).ok).toBe(false);
    expect(verifyAdobe(body, 'not base64 at all!').ok).toBe(false);
    expect(verifyAdobe(body, 'AAAA').ok).toBe(false);
  });

  it('should accept the previous public key while the merchant regenerates the pair', () => {
    const rotating = secrets(pem(current.publicKey), pem(previous.publicKey));
    expect(verifyAdobe(body, adobeSignature(body, previous.privateKey), rotating).ok).toBe(true);
    expect(verifyAdobe(body, adobeSignature(body, current.privateKey), rotating).ok).toBe(true);
  });

  it('should say what to configure when the secret is not a public key', () => {
    const verification = verifyAdobe(body, adobeSignature(body, current.privateKey), secrets(TOKEN));
    expect(reasonOf(verification)).toMatch(/PEM public key/);
  });

  it('should not be satisfied by a shared-secret HMAC in the Adobe header', () => {
    const hmac = createHmac('sha256', TOKEN).update(body).digest('base64');
    expect(verifyAdobe(body, hmac, secrets(TOKEN)).ok).toBe(false);
  });

  it('should reject any change to the body (property)', () => {
    const signature = adobeSignature(body, current.privateKey);
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 1, max: 255 }), (position, flip) => {
        const changed = Buffer.from(body);
        const at = position % changed.length;
        changed[at] = changed[at]! ^ flip;
        expect(verifyAdobe(changed, signature).ok).toBe(false);
      }),
      { numRuns: 50 },
    );
  });
});

describe('deliveryId and topic', () => {
  const cloudEvent = parsed(rawFixture('own_webhook_async_shipment_saved_cloudevent.json'));

  it('should use the CloudEvents id, the same on every redelivery', () => {
    expect(handler.deliveryId({}, cloudEvent)).toBe('7f1c2b8e-4a63-4f0e-9f51-2d6c1e0b9a31');
    expect(handler.deliveryId({}, structuredClone(cloudEvent))).toBe(handler.deliveryId({}, cloudEvent));
    expect(handler.deliveryId({}, parsed(rawFixture('own_webhook_async_customer_saved_cloudevent.json')))).toBe(
      '0b3e9d5a-1c7f-4e2a-8d44-93f0c6a1b2e7',
    );
  });

  it('should have no delivery id where the sender gives none', () => {
    expect(handler.deliveryId({}, parsed(orderSaved))).toBeNull();
    expect(handler.deliveryId({}, parsed(rawFixture('own_webhook_adobe_order_save_after.json')))).toBeNull();
    expect(handler.deliveryId({}, 'not an object')).toBeNull();
    // An `id` outside a CloudEvents envelope is the entity's, not the delivery's.
    expect(handler.deliveryId({}, { id: 41, data: {} })).toBeNull();
  });

  it.each([
    ['own_webhook_async_shipment_saved_cloudevent.json', 'sales.shipment.saved'],
    ['own_webhook_async_customer_saved_cloudevent.json', 'customer.saved'],
    ['own_webhook_adobe_order_save_after.json', 'sales_order_save_after'],
    ['own_webhook_adobe_track_save_after.json', 'sales_order_shipment_track_save_after'],
    ['own_webhook_adobe_order_delete_after.json', 'sales_order_delete_after'],
    // aligent's envelope names no event: it is told by its data.
    ['own_webhook_async_order_saved.json', 'sales.order.saved'],
  ])('should read the topic of %s as %s', (name, topic) => {
    expect(handler.topic({}, parsed(rawFixture(name)))).toBe(topic);
  });

  it('should tell an aligent shipment by its data, and give up on anything else', () => {
    const shipment = (cloudEvent as { data: unknown }).data;
    expect(handler.topic({}, { data: shipment })).toBe('sales.shipment.saved');
    expect(handler.topic({}, { data: { id: 41 } })).toBeNull();
    expect(handler.topic({}, [])).toBeNull();
  });
});

describe('parse', () => {
  it('should map the REST order the async-events module sends', () => {
    const onUnknownStatus = vi.fn();
    const content = createMagentoWebhookHandler({ onUnknownStatus }).parse('sales.order.saved', parsed(orderSaved));
    expect(content.kind).toBe('order');
    if (content.kind !== 'order') return;
    expect(content.order).toMatchObject({
      externalId: '104',
      number: '000000104',
      orderStatus: 'partially_fulfilled',
      financialStatus: 'paid',
      platformStatus: { state: 'processing', status: 'processing' },
      platformUpdatedAt: '2026-11-23T16:45:30.000Z',
      // Tracks come with sales.shipment.saved and the poll.
      shipments: [],
    });
    expect(onUnknownStatus).not.toHaveBeenCalled();
  });

  it('should report an unknown state in a pushed order', () => {
    const onUnknownStatus = vi.fn();
    const body = parsed(orderSaved) as { data: Record<string, unknown> };
    body.data.state = 'awaiting_pickup_confirmation';
    const content = createMagentoWebhookHandler({ onUnknownStatus }).parse(null, body);
    expect(content).toMatchObject({ kind: 'order', order: { orderStatus: 'pending' } });
    expect(onUnknownStatus).toHaveBeenCalledWith('awaiting_pickup_confirmation');
  });

  it.each([
    [
      'own_webhook_async_shipment_saved_cloudevent.json',
      'sales.shipment.saved',
      { kind: 'order_reference', externalId: '104' },
    ],
    // Adobe's payload is model data, not the REST shape: the order is fetched again.
    [
      'own_webhook_adobe_order_save_after.json',
      'sales_order_save_after',
      { kind: 'order_reference', externalId: '104' },
    ],
    [
      'own_webhook_adobe_order_save_after.json',
      'observer.sales_order_save_after',
      { kind: 'order_reference', externalId: '104' },
    ],
    ['own_webhook_adobe_track_save_after.json', null, { kind: 'order_reference', externalId: '106' }],
    ['own_webhook_adobe_order_delete_after.json', null, { kind: 'order_deleted', externalId: '112' }],
    [
      'own_webhook_async_customer_saved_cloudevent.json',
      'customer.saved',
      { kind: 'ignored', reason: 'Magento event customer.saved does not concern orders' },
    ],
  ])('should read %s (topic %s)', (name, topic, expected) => {
    expect(handler.parse(topic, parsed(rawFixture(name)))).toEqual(expected);
  });

  it('should read Adobe payloads configured with top-level fields', () => {
    expect(handler.parse('observer.sales_order_save_commit_after', { order: { entity_id: 7 } })).toEqual({
      kind: 'order_reference',
      externalId: '7',
    });
    expect(handler.parse('observer.sales_order_shipment_save_after', { shipment: { order_id: '8' } })).toEqual({
      kind: 'order_reference',
      externalId: '8',
    });
    expect(handler.parse('sales_order_invoice_save_after', { data: { invoice: { order_id: 9 } } })).toEqual({
      kind: 'order_reference',
      externalId: '9',
    });
  });

  it.each<[string, string | null, unknown, RegExp]>([
    ['an array', 'sales.order.saved', [], /JSON object/],
    ['a string', 'sales.order.saved', 'hello', /JSON object/],
    ['nothing to tell the event by', null, { data: { id: 1 } }, /no event name/],
    ['an order event without an id', 'sales_order_save_after', { data: { order: { increment_id: '1' } } }, /entity_id/],
    [
      'a shipment event without the order id',
      'sales.shipment.saved',
      { data: { entity_id: 3, tracks: [] } },
      /order_id/,
    ],
    ['a deletion without an id', 'sales_order_delete_after', { data: { order: {} } }, /entity_id/],
  ])('should refuse %s', (_label, topic, body, message) => {
    let error: unknown;
    try {
      handler.parse(topic, body);
    } catch (caught) {
      error = caught;
    }
    expect(isDomainError(error) && error.code).toBe('invalid_input');
    expect((error as Error).message).toMatch(message);
  });

  it('should refuse a pushed REST order of the wrong shape, naming the field', () => {
    const body = parsed(orderSaved) as { data: Record<string, unknown> };
    body.data.updated_at = 42;
    expect(() => handler.parse('sales.order.saved', body)).toThrow(/field updated_at/);
  });
});
