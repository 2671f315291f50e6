import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { LinkSigner } from './signed-link.js';
import type { LinkClaims } from '../../core/ports/signed-links.port.js';

const KEY = Buffer.alloc(32, 7);
const NOW = new Date('2026-11-26T12:00:00.000Z');
const IN_90_DAYS = new Date('2027-02-24T12:00:00.000Z');
const STORE = '019ac3f0-1a2b-7c3d-8e4f-5a6b7c8d9e0f';
const ORDER = '019ac3f0-2b3c-7d4e-9f50-6b7c8d9e0f1a';

describe('LinkSigner', () => {
  const signer = new LinkSigner(KEY);

  it('should round-trip a tracking link and keep it short enough for an SMS', () => {
    const token = signer.sign({ kind: 'track', storeId: STORE, orderId: ORDER }, IN_90_DAYS);

    expect(token.length).toBeLessThanOrEqual(80);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(signer.check(token, NOW)).toEqual({
      ok: true,
      claims: { kind: 'track', storeId: STORE, orderId: ORDER },
      expiresAt: IN_90_DAYS,
    });
  });

  it('should report an expired link with its claims, so the page can offer the look-up form', () => {
    const token = signer.sign({ kind: 'track', storeId: STORE, orderId: ORDER }, IN_90_DAYS);
    const result = signer.check(token, new Date('2027-02-24T12:00:00.001Z'));

    expect(result).toMatchObject({ ok: false, reason: 'expired', claims: { orderId: ORDER } });
    expect(signer.verify(token, new Date('2027-03-01T00:00:00Z'))).toBeNull();
  });

  it('should reject a link signed with another key', () => {
    const other = new LinkSigner(Buffer.alloc(32, 8));
    const token = other.sign({ kind: 'track', storeId: STORE, orderId: ORDER }, IN_90_DAYS);

    expect(signer.check(token, NOW)).toEqual({ ok: false, reason: 'invalid' });
  });

  it.each([
    ['empty', ''],
    ['not base64url', 'abc.def'],
    ['too short', 'AAAA'],
    ['overlong', 'A'.repeat(5000)],
  ])('should reject a %s token', (_name, token) => {
    expect(signer.check(token, NOW)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('should reject every single-bit change of a genuine token', () => {
    const token = signer.sign({ kind: 'track', storeId: STORE, orderId: ORDER }, IN_90_DAYS);
    const bytes = Buffer.from(token, 'base64url');
    for (let bit = 0; bit < bytes.length * 8; bit += 1) {
      const tampered = Buffer.from(bytes);
      tampered[bit >> 3]! ^= 1 << (bit & 7);
      expect(signer.check(tampered.toString('base64url'), NOW).ok).toBe(false);
    }
  });

  it('should carry any claims, UUID or not, through sign and check', () => {
    const text = fc.string({ minLength: 0, maxLength: 60 });
    const claims: fc.Arbitrary<LinkClaims> = fc.oneof(
      fc.record({
        kind: fc.constant('track' as const),
        storeId: fc.oneof(fc.uuid(), text),
        orderId: fc.oneof(fc.uuid(), text),
      }),
      fc.record({
        kind: fc.constant('unsubscribe' as const),
        storeId: fc.uuid(),
        channel: fc.constantFrom('email', 'sms'),
        recipient: fc.oneof(fc.emailAddress(), text),
      }),
    );
    fc.assert(
      fc.property(claims, (given) => {
        const result = signer.check(signer.sign(given, IN_90_DAYS), NOW);
        expect(result.ok && result.claims).toEqual(given);
      }),
    );
  });
});
