import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

import { DomainError, ErrorCode } from '../core/errors.js';

const VERSION = 'v1';

/**
 * AES-256-GCM for secrets at rest (platform tokens, carrier credentials,
 * webhook secrets). Sealed form: `v1.<iv>.<tag>.<ciphertext>`, base64url.
 * The row id is bound as additional data, so a sealed value copied onto
 * another row does not open.
 */
export class SecretBox {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('secret key must be 32 bytes');
    this.#key = key;
  }

  seal(plaintext: string, boundTo: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(boundTo, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [
      VERSION,
      iv.toString('base64url'),
      cipher.getAuthTag().toString('base64url'),
      ciphertext.toString('base64url'),
    ].join('.');
  }

  open(sealed: string, boundTo: string): string {
    const [version, iv, tag, ciphertext] = sealed.split('.');
    if (version !== VERSION || iv === undefined || tag === undefined || ciphertext === undefined) {
      throw new DomainError(ErrorCode.SecretKeyMismatch, 'stored secret is not in a known sealed format');
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(boundTo, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
    } catch (error) {
      throw new DomainError(
        ErrorCode.SecretKeyMismatch,
        'stored secret does not open with WAYMARK_SECRET_KEY (was the key changed?)',
        {
          cause: error,
        },
      );
    }
  }

  sealJson(value: unknown, boundTo: string): string {
    return this.seal(JSON.stringify(value), boundTo);
  }

  openJson<T>(sealed: string, boundTo: string): T {
    return JSON.parse(this.open(sealed, boundTo)) as T;
  }
}

/** Accepts 32 bytes as base64, base64url or hex. */
export function parseSecretKey(text: string): Buffer {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex');
  const decoded = Buffer.from(trimmed, trimmed.includes('-') || trimmed.includes('_') ? 'base64url' : 'base64');
  if (decoded.length !== 32) {
    throw new Error(
      'WAYMARK_SECRET_KEY must be 32 bytes, as 64 hex characters or base64 (generate one: openssl rand -base64 32)',
    );
  }
  return decoded;
}
