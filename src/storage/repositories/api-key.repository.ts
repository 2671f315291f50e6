import { createHash, randomBytes } from 'node:crypto';

import type { Kysely } from 'kysely';

import type { ApiKeyStore } from '../../core/ports/storage.port.js';
import type { Database } from '../database.js';
import { newId } from '../ids.js';

export type ApiKeySummary = {
  id: string;
  storeId: string;
  prefix: string;
  name: string | null;
  createdAt: string;
  lastUsedAt: string | null;
};

const KEY_PREFIX = 'wmk_';

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/**
 * API keys are shown once and stored only as a SHA-256 hash: keys are 192
 * random bits, so a fast hash is enough (no password stretching needed).
 */
export class ApiKeyRepository implements ApiKeyStore {
  constructor(private readonly db: Kysely<Database>) {}

  async createApiKey(
    storeId: string,
    name: string | null,
    now: string,
  ): Promise<{ id: string; key: string; prefix: string }> {
    const key = `${KEY_PREFIX}${randomBytes(24).toString('base64url')}`;
    const prefix = key.slice(0, KEY_PREFIX.length + 6);
    const id = newId();
    await this.db
      .insertInto('api_key')
      .values({
        id,
        store_id: storeId,
        prefix,
        key_hash: hashApiKey(key),
        name,
        created_at: now,
        last_used_at: null,
        revoked_at: null,
      })
      .execute();
    return { id, key, prefix };
  }

  /** The store a key belongs to, when the key exists and is not revoked. */
  async findStoreIdForKey(key: string): Promise<{ keyId: string; storeId: string } | undefined> {
    if (!key.startsWith(KEY_PREFIX) || key.length > 200) return undefined;
    const row = await this.db
      .selectFrom('api_key')
      .select(['id', 'store_id'])
      .where('key_hash', '=', hashApiKey(key))
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return row ? { keyId: row.id, storeId: row.store_id } : undefined;
  }

  async touchApiKey(keyId: string, now: string): Promise<void> {
    await this.db.updateTable('api_key').set({ last_used_at: now }).where('id', '=', keyId).execute();
  }

  async listApiKeys(storeId: string): Promise<ApiKeySummary[]> {
    const rows = await this.db
      .selectFrom('api_key')
      .selectAll()
      .where('store_id', '=', storeId)
      .where('revoked_at', 'is', null)
      .orderBy('created_at')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      storeId: r.store_id,
      prefix: r.prefix,
      name: r.name,
      createdAt: r.created_at,
      lastUsedAt: r.last_used_at,
    }));
  }

  async revokeApiKey(storeId: string, keyId: string, now: string): Promise<boolean> {
    const result = await this.db
      .updateTable('api_key')
      .set({ revoked_at: now })
      .where('id', '=', keyId)
      .where('store_id', '=', storeId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }
}
