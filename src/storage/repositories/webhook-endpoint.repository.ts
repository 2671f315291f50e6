import type { Kysely } from 'kysely';

import type { Database } from '../database.js';
import { newId } from '../ids.js';
import { fromFlag, parseJsonColumn, toFlag } from '../json.js';
import type { SecretBox } from '../secret-box.js';

export type WebhookEndpoint = {
  id: string;
  storeId: string;
  url: string;
  eventTypes: string[];
  isEnabled: boolean;
  createdAt: string;
};

/** Merchants' outbound webhook endpoints; the signing secret is sealed at rest. */
export class WebhookEndpointRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly secretBox: SecretBox,
  ) {}

  async createEndpoint(
    storeId: string,
    input: { url: string; secret: string; eventTypes: string[] },
    now: string,
  ): Promise<WebhookEndpoint> {
    const id = newId();
    await this.db
      .insertInto('webhook_endpoint')
      .values({
        id,
        store_id: storeId,
        url: input.url,
        secret_sealed: this.secretBox.seal(input.secret, `webhook_endpoint:${id}`),
        event_types: JSON.stringify(input.eventTypes),
        is_enabled: toFlag(true),
        created_at: now,
        updated_at: now,
      })
      .execute();
    return { id, storeId, url: input.url, eventTypes: input.eventTypes, isEnabled: true, createdAt: now };
  }

  async listEndpoints(storeId: string): Promise<WebhookEndpoint[]> {
    const rows = await this.db
      .selectFrom('webhook_endpoint')
      .selectAll()
      .where('store_id', '=', storeId)
      .orderBy('created_at')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      storeId: r.store_id,
      url: r.url,
      eventTypes: parseJsonColumn<string[]>(r.event_types, []),
      isEnabled: fromFlag(r.is_enabled),
      createdAt: r.created_at,
    }));
  }

  async listEnabledEndpoints(
    storeId: string,
  ): Promise<{ id: string; url: string; secret: string; eventTypes: string[] }[]> {
    const rows = await this.db
      .selectFrom('webhook_endpoint')
      .selectAll()
      .where('store_id', '=', storeId)
      .where('is_enabled', '=', 1)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      url: r.url,
      secret: this.secretBox.open(r.secret_sealed, `webhook_endpoint:${r.id}`),
      eventTypes: parseJsonColumn<string[]>(r.event_types, []),
    }));
  }

  async setEndpointEnabled(storeId: string, id: string, enabled: boolean, now: string): Promise<boolean> {
    const result = await this.db
      .updateTable('webhook_endpoint')
      .set({ is_enabled: toFlag(enabled), updated_at: now })
      .where('id', '=', id)
      .where('store_id', '=', storeId)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }
}
