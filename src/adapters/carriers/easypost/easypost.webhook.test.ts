import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { easyPostWebhookEventId, easyPostWebhookTopic, verifyEasyPostWebhook } from './easypost.webhook.js';

const SECRET = 'whsec-waymark-test';

function rawFixture(name: string): Buffer {
  return readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url));
}

/** What EasyPost sends: `hmac-sha256-hex=` + lowercase hex HMAC of the raw bytes. */
function sign(body: Buffer, secret: string = SECRET): string {
  return `hmac-sha256-hex=${createHmac('sha256', Buffer.from(secret.normalize('NFKD'), 'utf8'))
    .update(body)
    .digest('hex')}`;
}

const body = rawFixture('webhook_tracker_updated_in_transit_fedex.json');

describe('verifyEasyPostWebhook', () => {
  it('should accept the signature EasyPost computes over the raw bytes', () => {
    expect(verifyEasyPostWebhook(body, { 'x-hmac-signature': sign(body) }, SECRET)).toBe(true);
  });

  it('should find the header whatever the case of its name, and as a one-element array', () => {
    expect(verifyEasyPostWebhook(body, { 'X-Hmac-Signature': sign(body) }, SECRET)).toBe(true);
    expect(verifyEasyPostWebhook(body, { 'x-hmac-signature': [sign(body)] }, SECRET)).toBe(true);
  });

  it('should normalise the secret with NFKD before keying the HMAC, as the EasyPost SDKs do', () => {
    // U+FB01 (ﬁ) decomposes to "fi": EasyPost signs with the decomposed form.
    const signedWithDecomposedKey = sign(body, 'first-secret');
    expect(verifyEasyPostWebhook(body, { 'x-hmac-signature': signedWithDecomposedKey }, '\uFB01rst-secret')).toBe(true);
  });

  it('should reject a signature made with another secret', () => {
    expect(verifyEasyPostWebhook(body, { 'x-hmac-signature': sign(body, 'other-secret') }, SECRET)).toBe(false);
  });

  it('should reject a request without the header, or with the header twice', () => {
    expect(verifyEasyPostWebhook(body, {}, SECRET)).toBe(false);
    expect(verifyEasyPostWebhook(body, { 'x-hmac-signature': undefined }, SECRET)).toBe(false);
    expect(verifyEasyPostWebhook(body, { 'x-hmac-signature': [sign(body), sign(body)] }, SECRET)).toBe(false);
  });

  it('should reject a digest of the wrong length or encoding without throwing', () => {
    const good = sign(body);
    expect(verifyEasyPostWebhook(body, { 'x-hmac-signature': good.slice(0, -2) }, SECRET)).toBe(false);
    expect(verifyEasyPostWebhook(body, { 'x-hmac-signature': `${good}00` }, SECRET)).toBe(false);
    expect(verifyEasyPostWebhook(body, { 'x-hmac-signature': 'hmac-sha256-hex=' }, SECRET)).toBe(false);
    const base64 = createHmac('sha256', SECRET).update(body).digest('base64');
    expect(verifyEasyPostWebhook(body, { 'x-hmac-signature': `hmac-sha256-hex=${base64}` }, SECRET)).toBe(false);
  });

  it('should reject the bare hex digest without the scheme prefix', () => {
    expect(verifyEasyPostWebhook(body, { 'x-hmac-signature': sign(body).split('=')[1] }, SECRET)).toBe(false);
  });

  it('should reject a tampered body', () => {
    const tampered = Buffer.from(body.toString('utf8').replace('"in_transit"', '"delivered"'), 'utf8');
    expect(tampered.equals(body)).toBe(false);
    expect(verifyEasyPostWebhook(tampered, { 'x-hmac-signature': sign(body) }, SECRET)).toBe(false);
  });

  it('should fail closed when no secret is configured', () => {
    expect(verifyEasyPostWebhook(body, { 'x-hmac-signature': sign(body, '') }, '')).toBe(false);
  });

  it('should reject any change to the body (property)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 256 }),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (bytes, position, flip) => {
          const original = Buffer.from(bytes);
          const header = { 'x-hmac-signature': sign(original) };
          const changed = Buffer.from(original);
          const index = position % changed.length;
          changed[index] = (changed[index]! ^ flip) & 0xff;
          expect(verifyEasyPostWebhook(original, header, SECRET)).toBe(true);
          expect(verifyEasyPostWebhook(changed, header, SECRET)).toBe(false);
          expect(verifyEasyPostWebhook(original.subarray(0, index), header, SECRET)).toBe(false);
          expect(verifyEasyPostWebhook(Buffer.concat([original, Buffer.from([flip])]), header, SECRET)).toBe(false);
        },
      ),
    );
  });
});

describe('EasyPost webhook envelope', () => {
  const event = JSON.parse(body.toString('utf8')) as unknown;

  it('should take the event id (idempotency key) and the topic from the Event', () => {
    expect(easyPostWebhookEventId(event)).toBe('evt_1');
    expect(easyPostWebhookTopic(event)).toBe('tracker.updated');
  });

  it('should give null for a body that is not an Event', () => {
    expect(easyPostWebhookEventId(null)).toBeNull();
    expect(easyPostWebhookEventId('evt_1')).toBeNull();
    expect(easyPostWebhookTopic({ description: 42 })).toBeNull();
  });
});
