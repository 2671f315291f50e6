import type { Kysely } from 'kysely';

import { DomainError, ErrorCode } from '../../core/errors.js';
import {
  EMPTY_BRANDING,
  slugify,
  type Platform,
  type Store,
  type StoreBranding,
  type StoreSecrets,
} from '../../core/store/store.js';
import type { StoreStore } from '../../core/ports/storage.port.js';
import type { Database } from '../database.js';
import { newId } from '../ids.js';
import { toFlag } from '../json.js';
import { storeRowToStore } from '../row-mappers.js';
import type { SecretBox } from '../secret-box.js';

export type NewStore = {
  name: string;
  platform: Platform;
  slug?: string;
  domain?: string | null;
  locale?: string;
  timeZone?: string;
  branding?: Partial<StoreBranding>;
  notificationSettings?: Record<string, unknown>;
  secrets?: Partial<StoreSecrets>;
};

const EMPTY_SECRETS: StoreSecrets = { webhookSecret: null, previousWebhookSecret: null, credentials: {} };

export class StoreRepository implements StoreStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly secretBox: SecretBox,
  ) {}

  async createStore(input: NewStore, now: string): Promise<Store> {
    const id = newId();
    const slug = await this.#freeSlug(input.slug ? slugify(input.slug) : slugify(input.name));
    const secrets: StoreSecrets = {
      ...EMPTY_SECRETS,
      ...input.secrets,
      credentials: { ...input.secrets?.credentials },
    };
    const row = await this.db
      .insertInto('store')
      .values({
        id,
        slug,
        name: input.name,
        platform: input.platform,
        domain: input.domain ?? null,
        locale: input.locale ?? 'en',
        time_zone: input.timeZone ?? 'UTC',
        branding: JSON.stringify({ ...EMPTY_BRANDING, ...input.branding }),
        notification_settings: JSON.stringify(input.notificationSettings ?? {}),
        secrets_sealed: this.secretBox.sealJson(secrets, `store:${id}`),
        is_enabled: toFlag(true),
        // Stores whose platform we pull start due at once; `api` stores push everything.
        next_sync_at: input.platform === 'api' ? null : now,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return storeRowToStore(row);
  }

  async findStoreById(id: string): Promise<Store | undefined> {
    const row = await this.db.selectFrom('store').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? storeRowToStore(row) : undefined;
  }

  async findStoreBySlug(slug: string): Promise<Store | undefined> {
    const row = await this.db.selectFrom('store').selectAll().where('slug', '=', slug).executeTakeFirst();
    return row ? storeRowToStore(row) : undefined;
  }

  async listStores(): Promise<Store[]> {
    const rows = await this.db.selectFrom('store').selectAll().orderBy('created_at').orderBy('id').execute();
    return rows.map(storeRowToStore);
  }

  async getStoreSecrets(id: string): Promise<StoreSecrets> {
    const row = await this.db.selectFrom('store').select('secrets_sealed').where('id', '=', id).executeTakeFirst();
    if (!row) throw new DomainError(ErrorCode.NotFound, 'store not found');
    return this.#openSecrets(id, row.secrets_sealed);
  }

  async findStoreWithSecrets(id: string): Promise<{ store: Store; secrets: StoreSecrets } | undefined> {
    const row = await this.db.selectFrom('store').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    return {
      store: storeRowToStore(row),
      secrets: this.#openSecrets(id, row.secrets_sealed),
    };
  }

  async setStoreSecrets(id: string, secrets: StoreSecrets, now: string): Promise<void> {
    await this.db
      .updateTable('store')
      .set({ secrets_sealed: this.secretBox.sealJson(secrets, `store:${id}`), updated_at: now })
      .where('id', '=', id)
      .execute();
  }

  async setStoreBranding(id: string, branding: StoreBranding, now: string): Promise<void> {
    await this.db
      .updateTable('store')
      .set({ branding: JSON.stringify(branding), updated_at: now })
      .where('id', '=', id)
      .execute();
  }

  async setNotificationSettings(id: string, settings: Record<string, unknown>, now: string): Promise<void> {
    await this.db
      .updateTable('store')
      .set({ notification_settings: JSON.stringify(settings), updated_at: now })
      .where('id', '=', id)
      .execute();
  }

  #openSecrets(id: string, sealed: string): StoreSecrets {
    return { ...EMPTY_SECRETS, ...this.secretBox.openJson<Partial<StoreSecrets>>(sealed, `store:${id}`) };
  }

  async #freeSlug(base: string): Promise<string> {
    const taken = new Set(
      (
        await this.db
          .selectFrom('store')
          .select('slug')
          .where((eb) => eb.or([eb('slug', '=', base), eb('slug', 'like', `${base}-%`)]))
          .execute()
      ).map((r) => r.slug),
    );
    if (!taken.has(base)) return base;
    for (let n = 2; ; n += 1) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
  }
}
