import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/** What a signed link grants: the tracking page of one order, or unsubscribing one recipient. */
export type LinkClaims =
  | { kind: 'track'; storeId: string; orderId: string }
  | { kind: 'unsubscribe'; storeId: string; channel: string; recipient: string };

/**
 * Links in customer messages carry their own proof: the claims, signed with
 * HMAC-SHA256 under a key derived from WAYMARK_SECRET_KEY (HKDF, so the
 * link key is not the key that encrypts stored credentials). Anyone holding a
 * link can use it — which is what a link in an email is for — but nobody can
 * forge one for another order or recipient.
 */
export class LinkSigner {
  readonly #key: Buffer;

  constructor(secretKey: Buffer) {
    this.#key = Buffer.from(hkdfSync('sha256', secretKey, Buffer.alloc(0), 'waymark signed links v1', 32));
  }

  sign(claims: LinkClaims): string {
    const body = Buffer.from(JSON.stringify(claims), 'utf8').toString('base64url');
    return `${body}.${this.#mac(body)}`;
  }

  verify(token: string): LinkClaims | null {
    const [body, mac] = token.split('.');
    if (!body || !mac || token.length > 2048) return null;
    const expected = Buffer.from(this.#mac(body), 'base64url');
    const given = Buffer.from(mac, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    try {
      const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as LinkClaims;
      return claims.kind === 'track' || claims.kind === 'unsubscribe' ? claims : null;
    } catch {
      return null;
    }
  }

  #mac(body: string): string {
    return createHmac('sha256', this.#key).update(body).digest('base64url');
  }
}
