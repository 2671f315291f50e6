import { readFileSync } from 'node:fs';

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { shippoWebhookEventId, shippoWebhookTopic, verifyShippoWebhook } from './shippo.webhook.js';

const TOKEN = 'shippo-route-token-4f9a1c';

const raw = readFileSync(new URL('./__fixtures__/webhook_track_updated_delivered.json', import.meta.url));
const body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;

describe('verifyShippoWebhook (shared token, Shippo signs nothing)', () => {
  it('should accept the token the route was registered with', () => {
    expect(verifyShippoWebhook(raw, { 'x-waymark-webhook-token': TOKEN }, TOKEN)).toBe(true);
    expect(verifyShippoWebhook(raw, { 'X-Waymark-Webhook-Token': [TOKEN] }, TOKEN)).toBe(true);
  });

  it('should reject a missing, repeated or wrong token, whatever its length', () => {
    expect(verifyShippoWebhook(raw, {}, TOKEN)).toBe(false);
    expect(verifyShippoWebhook(raw, { 'x-waymark-webhook-token': '' }, TOKEN)).toBe(false);
    expect(verifyShippoWebhook(raw, { 'x-waymark-webhook-token': [TOKEN, TOKEN] }, TOKEN)).toBe(false);
    expect(verifyShippoWebhook(raw, { 'x-waymark-webhook-token': TOKEN.slice(0, -1) }, TOKEN)).toBe(false);
    expect(verifyShippoWebhook(raw, { 'x-waymark-webhook-token': `${TOKEN}x` }, TOKEN)).toBe(false);
    expect(verifyShippoWebhook(raw, { 'x-waymark-webhook-token': TOKEN.toUpperCase() }, TOKEN)).toBe(false);
  });

  it('should accept a changed body with the right token: nothing in the body is signed, so the token is the only guard', () => {
    const tampered = Buffer.from(raw.toString('utf8').replace('"DELIVERED"', '"RETURNED"'), 'utf8');
    expect(tampered.equals(raw)).toBe(false);
    expect(verifyShippoWebhook(tampered, { 'x-waymark-webhook-token': TOKEN }, TOKEN)).toBe(true);
  });

  it('should not take the token from another header', () => {
    expect(verifyShippoWebhook(raw, { authorization: `Bearer ${TOKEN}` }, TOKEN)).toBe(false);
  });

  it('should fail closed when no secret is configured', () => {
    expect(verifyShippoWebhook(raw, { 'x-waymark-webhook-token': '' }, '')).toBe(false);
    expect(verifyShippoWebhook(raw, {}, '')).toBe(false);
  });

  it('should refuse every token but the secret (property)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), (guess) => {
        fc.pre(guess !== TOKEN);
        expect(verifyShippoWebhook(raw, { 'x-waymark-webhook-token': guess }, TOKEN)).toBe(false);
      }),
    );
  });
});

/** The same JSON with every object's keys in reverse order. */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([key, field]) => [key, reverseKeys(field)]),
    );
  }
  return value;
}

describe('shippoWebhookEventId (Shippo sends no id)', () => {
  it('should hash the body into a stable id', () => {
    const id = shippoWebhookEventId(body);
    expect(id).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(shippoWebhookEventId(JSON.parse(raw.toString('utf8')) as unknown)).toBe(id);
  });

  it('should not depend on key order or whitespace, and should change with any content (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), fc.string(), (value, extraKey) => {
        const reparsed = JSON.parse(JSON.stringify(reverseKeys(value), null, 2)) as unknown;
        expect(shippoWebhookEventId(reparsed)).toBe(shippoWebhookEventId(value));
        fc.pre(!Object.hasOwn(value, extraKey));
        const changed = Object.fromEntries([...Object.entries(value), [extraKey, 1]]);
        expect(shippoWebhookEventId(changed)).not.toBe(shippoWebhookEventId(value));
      }),
    );
  });

  it('should change when a status changes', () => {
    const data = body.data as { tracking_status: { status: string } };
    const changed = { ...body, data: { ...data, tracking_status: { ...data.tracking_status, status: 'RETURNED' } } };
    expect(shippoWebhookEventId(changed)).not.toBe(shippoWebhookEventId(body));
  });

  it('should give null for a body that is not an object', () => {
    expect(shippoWebhookEventId(null)).toBeNull();
    expect(shippoWebhookEventId('track_updated')).toBeNull();
  });
});

describe('shippoWebhookTopic', () => {
  it('should read the event name', () => {
    expect(shippoWebhookTopic(body)).toBe('track_updated');
    expect(shippoWebhookTopic({ event: '' })).toBeNull();
    expect(shippoWebhookTopic(42)).toBeNull();
  });
});
