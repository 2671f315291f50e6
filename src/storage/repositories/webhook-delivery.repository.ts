import { sql, type Kysely, type Selectable } from 'kysely';

import type {
  NewWebhookDelivery,
  WebhookDelivery,
  WebhookDeliveryLog,
  WebhookDeliveryOutcome,
  WebhookDeliveryPage,
  WebhookDeliveryResult,
  WebhookPayload,
} from '../../core/ports/webhook-delivery.port.js';
import type { Database, WebhookDeliveryTable } from '../database.js';
import { newId } from '../ids.js';
import { parseJsonColumn } from '../json.js';

function rowToDelivery(row: Selectable<WebhookDeliveryTable>): WebhookDelivery {
  return {
    id: row.id,
    storeId: row.store_id,
    endpointId: row.endpoint_id,
    notificationId: row.notification_id,
    messageId: row.message_id,
    eventType: row.event_type,
    payload: parseJsonColumn<WebhookPayload>(row.payload, { type: row.event_type, timestamp: '', data: {} }),
    attempt: Number(row.attempt),
    replayOf: row.replay_of,
    outcome: row.outcome as WebhookDeliveryOutcome,
    statusCode: row.status_code === null ? null : Number(row.status_code),
    responseMs: row.response_ms === null ? null : Number(row.response_ms),
    error: row.error,
    attemptedAt: row.attempted_at,
    completedAt: row.completed_at,
  };
}

/** Every attempt to deliver a message to a merchant endpoint, replays included. */
export class WebhookDeliveryRepository implements WebhookDeliveryLog {
  constructor(private readonly db: Kysely<Database>) {}

  async startDelivery(input: NewWebhookDelivery, now: string): Promise<WebhookDelivery> {
    const row = await this.db
      .insertInto('webhook_delivery')
      .values({
        id: newId(),
        store_id: input.storeId,
        endpoint_id: input.endpointId,
        notification_id: input.notificationId,
        message_id: input.messageId,
        event_type: input.payload.type,
        payload: JSON.stringify(input.payload),
        // Numbered in the statement itself, so two writers cannot both read the same count first.
        attempt: sql<number>`(select count(*) + 1 from webhook_delivery where message_id = ${input.messageId} and endpoint_id = ${input.endpointId})`,
        replay_of: input.replayOf,
        outcome: 'pending',
        status_code: null,
        response_ms: null,
        error: null,
        attempted_at: now,
        completed_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return rowToDelivery(row);
  }

  async finishDelivery(id: string, result: WebhookDeliveryResult, now: string): Promise<void> {
    await this.db
      .updateTable('webhook_delivery')
      .set({
        outcome: result.outcome,
        status_code: result.statusCode,
        response_ms: Math.round(result.responseMs),
        error: result.error === null ? null : result.error.slice(0, 2000),
        completed_at: now,
      })
      .where('id', '=', id)
      .execute();
  }

  async findDelivery(storeId: string, endpointId: string, id: string): Promise<WebhookDelivery | undefined> {
    const row = await this.db
      .selectFrom('webhook_delivery')
      .selectAll()
      .where('id', '=', id)
      .where('store_id', '=', storeId)
      .where('endpoint_id', '=', endpointId)
      .executeTakeFirst();
    return row ? rowToDelivery(row) : undefined;
  }

  async listDeliveries(
    storeId: string,
    endpointId: string,
    page: { limit: number; cursor: string | null },
  ): Promise<WebhookDeliveryPage> {
    let query = this.db
      .selectFrom('webhook_delivery')
      .selectAll()
      .where('endpoint_id', '=', endpointId)
      .where('store_id', '=', storeId);
    if (page.cursor !== null) query = query.where('id', '<', page.cursor);
    const rows = await query
      .orderBy('id', 'desc')
      .limit(page.limit + 1)
      .execute();
    const deliveries = rows.slice(0, page.limit).map(rowToDelivery);
    return {
      deliveries,
      nextCursor: rows.length > page.limit ? (deliveries.at(-1)?.id ?? null) : null,
    };
  }

  async listDeliveredEndpointIds(notificationId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('webhook_delivery')
      .select('endpoint_id')
      .distinct()
      .where('notification_id', '=', notificationId)
      .where('outcome', '=', 'delivered')
      .execute();
    return rows.map((row) => row.endpoint_id);
  }
}
