import { createHash } from 'node:crypto';

import type { Insertable, Kysely } from 'kysely';

import type { AcceptedWebhook, InboxStore } from '../../core/ports/storage.port.js';
import type { Database, InboundWebhookRow, InboundWebhookTable } from '../database.js';
import { newId } from '../ids.js';

export const InboxState = { Pending: 'pending', Processed: 'processed', Dead: 'dead' } as const;
export type InboxState = (typeof InboxState)[keyof typeof InboxState];

export function inboxDedupeKey(
  input: Pick<AcceptedWebhook, 'source' | 'storeId' | 'providerEventId' | 'rawBody'>,
): string {
  const identity =
    input.providerEventId ?? `sha256:${createHash('sha256').update(input.rawBody, 'utf8').digest('hex')}`;
  return wellFormed(`${input.source}:${input.storeId ?? '-'}:${identity}`);
}

const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * The text as both databases store it: a lone surrogate (a sender's id may hold
 * one, e.g. from a JSON `\udfff` escape) is written as U+FFFD, so a key kept in
 * memory must be the same or it would not match the stored one.
 */
function wellFormed(text: string): string {
  return SURROGATE.test(text) ? Buffer.from(text, 'utf8').toString('utf8') : text;
}

/** The inbox: a delivery is committed here before the 2xx, processed after. */
export class InboundWebhookRepository implements InboxStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** Stores a delivery; a redelivery of the same one is recognised and not stored twice. */
  async acceptWebhook(input: AcceptedWebhook, now: string): Promise<{ id: string; duplicate: boolean }> {
    const [receipt] = await this.acceptWebhooks([input], now);
    return receipt!;
  }

  /**
   * Stores many deliveries with one statement, so one commit: the group commit
   * of webhook intake. Receipts come back in the order of the input; a delivery
   * already stored, or repeated within the batch, is a duplicate with the id
   * of the stored row.
   */
  async acceptWebhooks(
    inputs: readonly AcceptedWebhook[],
    now: string,
  ): Promise<Array<{ id: string; duplicate: boolean }>> {
    if (inputs.length === 0) return [];
    const keys = inputs.map(inboxDedupeKey);
    const firstIndexOfKey = new Map<string, number>();
    const rows: Insertable<InboundWebhookTable>[] = [];
    keys.forEach((dedupeKey, index) => {
      if (firstIndexOfKey.has(dedupeKey)) return;
      firstIndexOfKey.set(dedupeKey, index);
      const input = inputs[index]!;
      rows.push({
        id: newId(),
        store_id: input.storeId,
        source: input.source,
        topic: input.topic,
        provider_event_id: input.providerEventId,
        dedupe_key: dedupeKey,
        headers: JSON.stringify(input.headers),
        raw_body: input.rawBody,
        received_at: now,
        next_attempt_at: now,
        processed_at: null,
        state: InboxState.Pending,
        lease_owner: null,
        lease_until: null,
        last_error: null,
      });
    });
    const inserted = await this.db
      .insertInto('inbound_webhook')
      .values(rows)
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
      .returning(['id', 'dedupe_key'])
      .execute();
    const idOfKey = new Map(inserted.map((row) => [row.dedupe_key, row.id]));
    const stored = rows.map((row) => row.dedupe_key).filter((key) => !idOfKey.has(key));
    if (stored.length > 0) {
      const existing = await this.db
        .selectFrom('inbound_webhook')
        .select(['id', 'dedupe_key'])
        .where('dedupe_key', 'in', stored)
        .execute();
      for (const row of existing) idOfKey.set(row.dedupe_key, row.id);
    }
    const newlyStored = new Set(inserted.map((row) => row.dedupe_key));
    return keys.map((key, index) => {
      const id = idOfKey.get(key);
      // Only possible if the stored row was deleted between the insert and the read.
      if (id === undefined) throw new Error(`inbox row for ${key} vanished while it was being stored`);
      return { id, duplicate: !newlyStored.has(key) || firstIndexOfKey.get(key) !== index };
    });
  }

  async findWebhook(id: string): Promise<InboundWebhookRow | undefined> {
    return this.db.selectFrom('inbound_webhook').selectAll().where('id', '=', id).executeTakeFirst();
  }
}
