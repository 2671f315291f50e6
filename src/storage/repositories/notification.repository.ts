import type { Kysely } from 'kysely';

import {
  TEST_NOTIFICATION_KEY_PREFIX,
  type NewTestNotification,
  type TestNotificationLog,
} from '../../core/ports/notification-template.port.js';
import type { NewNotification, NotificationRecord, NotificationStore } from '../../core/ports/storage.port.js';
import type { Database, NotificationRow } from '../database.js';
import { newId } from '../ids.js';
import { parseJsonColumn } from '../json.js';

function recipientKey(recipient: string): string {
  return recipient.trim().toLowerCase();
}

function rowToRecord(row: NotificationRow): NotificationRecord {
  return {
    id: row.id,
    storeId: row.store_id,
    orderId: row.order_id,
    shipmentId: row.shipment_id,
    milestone: row.milestone,
    channel: row.channel,
    recipient: row.recipient,
    idempotencyKey: row.idempotency_key,
    state: row.state as NotificationRecord['state'],
    reason: row.last_error,
    payload: parseJsonColumn<Record<string, unknown>>(row.payload, {}),
    attempts: Number(row.attempts),
    nextAttemptAt: row.next_attempt_at,
    providerMessageId: row.provider_message_id,
    sentAt: row.sent_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export class NotificationRepository implements NotificationStore, TestNotificationLog {
  constructor(private readonly db: Kysely<Database>) {}

  async planNotifications(rows: NewNotification[], now: string): Promise<number> {
    if (rows.length === 0) return 0;
    const result = await this.db
      .insertInto('notification')
      .values(
        rows.map((row) => ({
          id: newId(),
          store_id: row.storeId,
          order_id: row.orderId,
          shipment_id: row.shipmentId,
          milestone: row.milestone,
          channel: row.channel,
          recipient: row.recipient,
          idempotency_key: row.idempotencyKey,
          state: row.state,
          payload: JSON.stringify(row.payload),
          // Planned rows are due for a sender at once; suppressed ones never are.
          next_attempt_at: row.state === 'planned' ? now : null,
          provider_message_id: null,
          sent_at: null,
          lease_owner: null,
          lease_until: null,
          last_error: row.reason,
          created_at: now,
          updated_at: now,
        })),
      )
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0);
  }

  async findNotification(id: string): Promise<NotificationRecord | undefined> {
    const row = await this.db.selectFrom('notification').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? rowToRecord(row) : undefined;
  }

  async markSending(id: string, owner: string, now: string): Promise<boolean> {
    const result = await this.db
      .updateTable('notification')
      .set({ state: 'sending', updated_at: now })
      .where('id', '=', id)
      .where('lease_owner', '=', owner)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async resetSending(id: string, now: string): Promise<void> {
    await this.db
      .updateTable('notification')
      .set({ state: 'planned', updated_at: now })
      .where('id', '=', id)
      .where('state', '=', 'sending')
      .execute();
  }

  async optOut(storeId: string, channel: string, recipient: string, now: string): Promise<void> {
    await this.db
      .insertInto('notification_opt_out')
      .values({ store_id: storeId, channel, recipient_key: recipientKey(recipient), created_at: now })
      .onConflict((oc) => oc.columns(['store_id', 'channel', 'recipient_key']).doNothing())
      .execute();
  }

  async isOptedOut(storeId: string, channel: string, recipient: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('notification_opt_out')
      .select('store_id')
      .where('store_id', '=', storeId)
      .where('channel', '=', channel)
      .where('recipient_key', '=', recipientKey(recipient))
      .executeTakeFirst();
    return row !== undefined;
  }

  async listNotificationsForOrder(storeId: string, orderId: string): Promise<NotificationRecord[]> {
    const rows = await this.db
      .selectFrom('notification')
      .selectAll()
      .where('store_id', '=', storeId)
      .where('order_id', '=', orderId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(rowToRecord);
  }

  async recordTestNotification(input: NewTestNotification, now: string): Promise<string> {
    const id = newId();
    // Never against an order, never due for a worker: a test send is the request's own business.
    await this.db
      .insertInto('notification')
      .values({
        id,
        store_id: input.storeId,
        order_id: null,
        shipment_id: null,
        milestone: input.milestone,
        channel: input.channel,
        recipient: input.recipient,
        idempotency_key: input.idempotencyKey,
        state: 'sending',
        payload: JSON.stringify(input.payload),
        next_attempt_at: null,
        provider_message_id: null,
        sent_at: null,
        lease_owner: null,
        lease_until: null,
        attempts: 1,
        last_error: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    return id;
  }

  async finishTestNotification(
    id: string,
    outcome: { state: 'sent'; providerMessageId: string } | { state: 'failed'; reason: string },
    now: string,
  ): Promise<void> {
    await this.db
      .updateTable('notification')
      .set(
        outcome.state === 'sent'
          ? { state: 'sent', provider_message_id: outcome.providerMessageId, sent_at: now, updated_at: now }
          : { state: 'failed', last_error: outcome.reason.slice(0, 2000), updated_at: now },
      )
      .where('id', '=', id)
      .where('idempotency_key', 'like', `${TEST_NOTIFICATION_KEY_PREFIX}%`)
      .execute();
  }

  async listTestNotifications(storeId: string, limit: number): Promise<NotificationRecord[]> {
    const rows = await this.db
      .selectFrom('notification')
      .selectAll()
      .where('order_id', 'is', null)
      .where('store_id', '=', storeId)
      .where('idempotency_key', 'like', `${TEST_NOTIFICATION_KEY_PREFIX}%`)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map(rowToRecord);
  }
}
