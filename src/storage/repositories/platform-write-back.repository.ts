import type { Kysely } from 'kysely';

import {
  WriteBackState,
  type NewWriteBack,
  type PlatformWriteBackStore,
  type ShipmentNews,
  type WriteBackRecord,
} from '../../core/ports/platform-write-back.port.js';
import type { Database, PlatformWriteBackRow } from '../database.js';
import { newId } from '../ids.js';
import { parseJsonColumn, toFlag } from '../json.js';

function rowToRecord(row: PlatformWriteBackRow): WriteBackRecord {
  return {
    id: row.id,
    storeId: row.store_id,
    shipmentId: row.shipment_id,
    idempotencyKey: row.idempotency_key,
    news: parseJsonColumn<ShipmentNews>(row.news, {} as ShipmentNews),
    state: row.state as WriteBackState,
    lastError: row.last_error,
    attempts: Number(row.attempts),
    nextAttemptAt: row.next_attempt_at,
    platformEventId: row.platform_event_id,
    platformStatus: row.platform_status,
    postedAt: row.posted_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export class PlatformWriteBackRepository implements PlatformWriteBackStore {
  constructor(private readonly db: Kysely<Database>) {}

  async isWriteBackEnabled(storeId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('store')
      .select('platform_write_back')
      .where('id', '=', storeId)
      .executeTakeFirst();
    return Number(row?.platform_write_back ?? 0) === 1;
  }

  async setWriteBackEnabled(storeId: string, enabled: boolean, now: string): Promise<boolean> {
    const result = await this.db
      .updateTable('store')
      .set({ platform_write_back: toFlag(enabled), updated_at: now })
      .where('id', '=', storeId)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async planWriteBack(row: NewWriteBack, now: string): Promise<boolean> {
    const result = await this.db
      .insertInto('platform_write_back')
      .values({
        id: newId(),
        store_id: row.storeId,
        shipment_id: row.shipmentId,
        shipment_external_id: row.news.shipmentExternalId,
        idempotency_key: row.idempotencyKey,
        state: WriteBackState.Planned,
        news: JSON.stringify(row.news),
        happened_at: new Date(Date.parse(row.news.happenedAt)).toISOString(),
        platform_event_id: null,
        platform_status: null,
        posted_at: null,
        next_attempt_at: now,
        lease_owner: null,
        lease_until: null,
        last_error: null,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  async findWriteBack(id: string): Promise<WriteBackRecord | undefined> {
    const row = await this.db.selectFrom('platform_write_back').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? rowToRecord(row) : undefined;
  }

  async hasLaterPosted(storeId: string, shipmentExternalId: string, happenedAt: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('platform_write_back')
      .select('id')
      .where('store_id', '=', storeId)
      .where('shipment_external_id', '=', shipmentExternalId)
      .where('happened_at', '>', new Date(Date.parse(happenedAt)).toISOString())
      .where('state', '=', WriteBackState.Posted)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  async listWriteBacksForShipment(storeId: string, shipmentId: string): Promise<WriteBackRecord[]> {
    const rows = await this.db
      .selectFrom('platform_write_back')
      .selectAll()
      .where('store_id', '=', storeId)
      .where('shipment_id', '=', shipmentId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(rowToRecord);
  }
}
