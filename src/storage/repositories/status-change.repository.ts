import type { Kysely } from 'kysely';

import type { ChangeCause, NewStatusChange, StatusChange, StatusJournal } from '../../core/ports/storage.port.js';
import type { Database } from '../database.js';
import { newId } from '../ids.js';

/** The journal: why each status is what it is. Append-only. */
export class StatusChangeRepository implements StatusJournal {
  constructor(private readonly db: Kysely<Database>) {}

  async recordStatusChanges(changes: NewStatusChange[]): Promise<void> {
    if (changes.length === 0) return;
    await this.db
      .insertInto('status_change')
      .values(
        changes.map((c) => ({
          id: newId(),
          store_id: c.storeId,
          entity_type: c.entityType,
          entity_id: c.entityId,
          field: c.field,
          from_value: c.from,
          to_value: c.to,
          cause: c.cause,
          cause_ref: c.causeRef,
          at: c.at,
        })),
      )
      .execute();
  }

  async listStatusChanges(storeId: string, entityIds: string[]): Promise<StatusChange[]> {
    if (entityIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('status_change')
      .selectAll()
      .where('store_id', '=', storeId)
      .where('entity_id', 'in', entityIds)
      .orderBy('at')
      .orderBy('id')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      storeId: r.store_id,
      entityType: r.entity_type as StatusChange['entityType'],
      entityId: r.entity_id,
      field: r.field as StatusChange['field'],
      from: r.from_value,
      to: r.to_value,
      cause: r.cause as ChangeCause,
      causeRef: r.cause_ref,
      at: r.at,
    }));
  }
}
