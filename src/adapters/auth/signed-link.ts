import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

import type { LinkCheck, LinkClaims, SignedLinks } from '../../core/ports/signed-links.port.js';

export type { LinkCheck, LinkClaims } from '../../core/ports/signed-links.port.js';

const FORMAT_VERSION = 2;
const KIND_CODE = { track: 1, unsubscribe: 2 } as const;
const ID_UUID = 0;
const ID_TEXT = 1;
/** 128 bits of HMAC-SHA256: far beyond guessing, and it keeps SMS links short. */
const MAC_BYTES = 16;
const MAX_TOKEN_CHARS = 1024;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Links in customer messages carry their own proof: the claims and an expiry,
 * signed with HMAC-SHA256 under a key derived from WAYMARK_SECRET_KEY (HKDF, so
 * the link key is not the key that encrypts stored credentials). Anyone holding
 * a link can use it until it expires — which is what a link in an email is for —
 * but nobody can forge one for another order or recipient.
 *
 * The token is binary, not JSON: UUIDs travel as 16 bytes and the expiry as 4,
 * so a tracking link is about 75 characters and an SMS stays within two segments.
 */
export class LinkSigner implements SignedLinks {
  readonly #key: Buffer;

  constructor(secretKey: Buffer) {
    this.#key = Buffer.from(hkdfSync('sha256', secretKey, Buffer.alloc(0), 'waymark signed links v2', 32));
  }

  sign(claims: LinkClaims, expiresAt: Date): string {
    const payload = encodeClaims(claims, Math.floor(expiresAt.getTime() / 1000));
    return Buffer.concat([payload, this.#mac(payload)]).toString('base64url');
  }

  check(token: string, now: Date): LinkCheck {
    if (token.length === 0 || token.length > MAX_TOKEN_CHARS || !/^[A-Za-z0-9_-]+$/.test(token)) {
      return { ok: false, reason: 'invalid' };
    }
    const bytes = Buffer.from(token, 'base64url');
    if (bytes.length <= MAC_BYTES) return { ok: false, reason: 'invalid' };
    const payload = bytes.subarray(0, bytes.length - MAC_BYTES);
    const given = bytes.subarray(bytes.length - MAC_BYTES);
    if (!timingSafeEqual(given, this.#mac(payload))) return { ok: false, reason: 'invalid' };
    const decoded = decodeClaims(payload);
    if (!decoded) return { ok: false, reason: 'invalid' };
    const expiresAt = new Date(decoded.expiresAtSeconds * 1000);
    if (expiresAt.getTime() <= now.getTime())
      return { ok: false, reason: 'expired', claims: decoded.claims, expiresAt };
    return { ok: true, claims: decoded.claims, expiresAt };
  }

  /** The claims of a valid, unexpired token; null otherwise. */
  verify(token: string, now: Date): LinkClaims | null {
    const result = this.check(token, now);
    return result.ok ? result.claims : null;
  }

  #mac(payload: Buffer): Buffer {
    return createHmac('sha256', this.#key).update(payload).digest().subarray(0, MAC_BYTES);
  }
}

function encodeId(id: string): Buffer {
  if (UUID.test(id)) return Buffer.concat([Buffer.of(ID_UUID), Buffer.from(id.replaceAll('-', ''), 'hex')]);
  return Buffer.concat([Buffer.of(ID_TEXT), encodeText(id)]);
}

function encodeText(value: string): Buffer {
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.length > 255) throw new RangeError('signed link field longer than 255 bytes');
  return Buffer.concat([Buffer.of(bytes.length), bytes]);
}

function encodeClaims(claims: LinkClaims, expiresAtSeconds: number): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt8(FORMAT_VERSION, 0);
  header.writeUInt8(KIND_CODE[claims.kind], 1);
  header.writeUInt32BE(Math.max(0, Math.min(expiresAtSeconds, 0xffffffff)), 2);
  const parts =
    claims.kind === 'track'
      ? [encodeId(claims.storeId), encodeId(claims.orderId)]
      : [encodeId(claims.storeId), encodeText(claims.channel), encodeText(claims.recipient)];
  return Buffer.concat([header, ...parts]);
}

/** Reads fields in order; any inconsistency (truncation, trailing bytes) makes the whole token invalid. */
class Reader {
  #offset = 0;
  constructor(private readonly bytes: Buffer) {}

  byte(): number | null {
    if (this.#offset >= this.bytes.length) return null;
    return this.bytes.readUInt8(this.#offset++);
  }

  take(length: number): Buffer | null {
    if (this.#offset + length > this.bytes.length) return null;
    const slice = this.bytes.subarray(this.#offset, this.#offset + length);
    this.#offset += length;
    return slice;
  }

  text(): string | null {
    const length = this.byte();
    if (length === null) return null;
    return this.take(length)?.toString('utf8') ?? null;
  }

  id(): string | null {
    const tag = this.byte();
    if (tag === ID_TEXT) return this.text();
    if (tag !== ID_UUID) return null;
    const hex = this.take(16)?.toString('hex');
    if (!hex) return null;
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  get done(): boolean {
    return this.#offset === this.bytes.length;
  }
}

function decodeClaims(payload: Buffer): { claims: LinkClaims; expiresAtSeconds: number } | null {
  const reader = new Reader(payload);
  if (reader.byte() !== FORMAT_VERSION) return null;
  const kind = reader.byte();
  const expiry = reader.take(4);
  if (!expiry) return null;
  const expiresAtSeconds = expiry.readUInt32BE(0);
  const storeId = reader.id();
  if (storeId === null) return null;
  let claims: LinkClaims | null = null;
  if (kind === KIND_CODE.track) {
    const orderId = reader.id();
    if (orderId !== null) claims = { kind: 'track', storeId, orderId };
  } else if (kind === KIND_CODE.unsubscribe) {
    const channel = reader.text();
    const recipient = reader.text();
    if (channel !== null && recipient !== null) claims = { kind: 'unsubscribe', storeId, channel, recipient };
  }
  return claims && reader.done ? { claims, expiresAtSeconds } : null;
}
