import { createHash } from 'node:crypto';

import type { Kysely } from 'kysely';

import type { AcceptedWebhook, InboxStore } from '../../core/ports/storage.port.js';
import type { Database, InboundWebhookRow } from '../database.js';
import { newId } from '../ids.js';

export const InboxState = { Pending: 'pending', Processed: 'processed', Dead: 'dead' } as const;
export type InboxState = (typeof InboxState)[keyof typeof InboxState];

export function inboxDedupeKey(
  input: Pick<AcceptedWebhook, 'source' | 'storeId' | 'providerEventId' | 'rawBody'>,
): string {
  const identity =
    input.providerEventId ?? `sha256:${createHash('sha256').update(input.rawBody, 'utf8').digest('hex')}`;
  return `${input.source}:${input.storeId ?? '-'}:${identity}`;
}

/** The inbox: a delivery is committed here before the 2xx, processed after. */
export class InboundWebhookRepository implements InboxStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** Stores a delivery; a redelivery of the same one is recognised and not stored twice. */
  async acceptWebhook(input: AcceptedWebhook, now: string): Promise<{ id: string; duplicate: boolean }> {
    const dedupeKey = inboxDedupeKey(input);
    const inserted = await this.db
      .insertInto('inbound_webhook')
      .values({
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
      })
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (inserted) return { id: inserted.id, duplicate: false };
    const existing = await this.db
      .selectFrom('inbound_webhook')
      .select('id')
      .where('dedupe_key', '=', dedupeKey)
      .executeTakeFirstOrThrow();
    return { id: existing.id, duplicate: true };
  }

  async findWebhook(id: string): Promise<InboundWebhookRow | undefined> {
    return this.db.selectFrom('inbound_webhook').selectAll().where('id', '=', id).executeTakeFirst();
  }
}
