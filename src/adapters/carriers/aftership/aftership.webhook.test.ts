import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { afterShipWebhookEventId, afterShipWebhookTopic, verifyAfterShipWebhook } from './aftership.webhook.js';

const SECRET = 'aftership-webhook-secret';

function rawFixture(name: string): Buffer {
  return readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url));
}

/** What AfterShip sends: standard base64 of the HMAC-SHA256 of the raw bytes, keyed with the secret as UTF-8. */
function sign(body: Buffer, secret: string = SECRET): string {
  return createHmac('sha256', secret).update(body).digest('base64');
}

const body = rawFixture('webhook_tracking_update_in_transit.json');

describe('verifyAfterShipWebhook', () => {
  it('should accept the signature AfterShip computes over the raw bytes', () => {
    expect(verifyAfterShipWebhook(body, { 'aftership-hmac-sha256': sign(body) }, SECRET)).toBe(true);
  });

  it('should find the header as AfterShip spells it in its docs, and as a one-element array', () => {
    expect(verifyAfterShipWebhook(body, { 'Aftership-Hmac-Sha256': sign(body) }, SECRET)).toBe(true);
    expect(verifyAfterShipWebhook(body, { 'aftership-hmac-sha256': [sign(body)] }, SECRET)).toBe(true);
  });

  it('should key the HMAC with the secret’s UTF-8 bytes, not a decoded form', () => {
    const secret = 'sécret-ü';
    expect(verifyAfterShipWebhook(body, { 'aftership-hmac-sha256': sign(body, secret) }, secret)).toBe(true);
    const decoded = createHmac('sha256', Buffer.from(secret, 'latin1')).update(body).digest('base64');
    expect(verifyAfterShipWebhook(body, { 'aftership-hmac-sha256': decoded }, secret)).toBe(false);
  });

  it('should reject a signature made with another secret', () => {
    expect(verifyAfterShipWebhook(body, { 'aftership-hmac-sha256': sign(body, 'other') }, SECRET)).toBe(false);
  });

  it('should reject a request without the header, with it twice, or under another product’s name', () => {
    expect(verifyAfterShipWebhook(body, {}, SECRET)).toBe(false);
    expect(verifyAfterShipWebhook(body, { 'aftership-hmac-sha256': undefined }, SECRET)).toBe(false);
    expect(verifyAfterShipWebhook(body, { 'aftership-hmac-sha256': [sign(body), sign(body)] }, SECRET)).toBe(false);
    // Returns / Warranty use as-signature-hmac-sha256 with their own secrets: not a Tracking webhook.
    expect(verifyAfterShipWebhook(body, { 'as-signature-hmac-sha256': sign(body) }, SECRET)).toBe(false);
  });

  it('should reject a digest of the wrong length or encoding without throwing', () => {
    const good = sign(body);
    expect(verifyAfterShipWebhook(body, { 'aftership-hmac-sha256': good.slice(0, -4) }, SECRET)).toBe(false);
    expect(verifyAfterShipWebhook(body, { 'aftership-hmac-sha256': `${good}AAAA` }, SECRET)).toBe(false);
    expect(verifyAfterShipWebhook(body, { 'aftership-hmac-sha256': '' }, SECRET)).toBe(false);
    const hex = createHmac('sha256', SECRET).update(body).digest('hex');
    expect(verifyAfterShipWebhook(body, { 'aftership-hmac-sha256': hex }, SECRET)).toBe(false);
    const base64url = createHmac('sha256', SECRET).update(body).digest('base64url');
    expect(verifyAfterShipWebhook(body, { 'aftership-hmac-sha256': base64url }, SECRET)).toBe(false);
  });

  it('should reject a tampered body', () => {
    const tampered = Buffer.from(body.toString('utf8').replace('"InTransit"', '"Delivered"'), 'utf8');
    expect(tampered.equals(body)).toBe(false);
    expect(verifyAfterShipWebhook(tampered, { 'aftership-hmac-sha256': sign(body) }, SECRET)).toBe(false);
  });

  it('should fail closed when no secret is configured', () => {
    expect(verifyAfterShipWebhook(body, { 'aftership-hmac-sha256': sign(body, '') }, '')).toBe(false);
  });

  it('should reject any change to the body (property)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 256 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (bytes, position, flip) => {
          const original = Buffer.from(bytes);
          const header = { 'aftership-hmac-sha256': sign(original) };
          const changed = Buffer.from(original);
          const index = position % changed.length;
          changed[index] = (changed[index]! ^ flip) & 0xff;
          expect(verifyAfterShipWebhook(original, header, SECRET)).toBe(true);
          expect(verifyAfterShipWebhook(changed, header, SECRET)).toBe(false);
          expect(verifyAfterShipWebhook(original.subarray(0, index), header, SECRET)).toBe(false);
          expect(verifyAfterShipWebhook(Buffer.concat([original, Buffer.from([flip])]), header, SECRET)).toBe(false);
        },
      ),
    );
  });
});

describe('AfterShip webhook envelope', () => {
  const event = JSON.parse(body.toString('utf8')) as unknown;

  it('should take event_id (idempotency key) and event (topic) from the body', () => {
    expect(afterShipWebhookEventId(event)).toBe('94dadd60-ed26-46d0-aa52-3ced925a50ff');
    expect(afterShipWebhookTopic(event)).toBe('tracking_update');
  });

  it('should give null for a body without them', () => {
    expect(afterShipWebhookEventId({})).toBeNull();
    expect(afterShipWebhookTopic([])).toBeNull();
    expect(afterShipWebhookTopic(undefined)).toBeNull();
  });
});
