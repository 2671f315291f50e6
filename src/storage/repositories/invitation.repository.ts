import type { Kysely } from 'kysely';

import {
  isDashboardRole,
  type DashboardRole,
  type InvitationStore,
  type StoreInvitation,
} from '../../core/ports/session.port.js';
import type { Database } from '../database.js';
import { newId } from '../ids.js';

type InvitationRow = {
  id: string;
  store_id: string;
  store_name: string;
  email: string;
  role: string;
  created_at: string;
  expires_at: string;
};

function toInvitation(row: InvitationRow): StoreInvitation {
  return {
    id: row.id,
    storeId: row.store_id,
    storeName: row.store_name,
    email: row.email,
    // Written from a checked role; a row edited by hand to something else grants the lesser one.
    role: isDashboardRole(row.role) ? row.role : 'staff',
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}

export class InvitationRepository implements InvitationStore {
  constructor(private readonly db: Kysely<Database>) {}

  async createInvitation(
    input: { storeId: string; email: string; role: DashboardRole; tokenHash: string; expiresAt: string },
    now: string,
  ): Promise<{ id: string }> {
    const id = newId();
    await this.db
      .insertInto('store_invitation')
      .values({
        id,
        store_id: input.storeId,
        email: input.email.trim().toLowerCase(),
        role: input.role,
        token_hash: input.tokenHash,
        created_at: now,
        expires_at: input.expiresAt,
        accepted_at: null,
      })
      .execute();
    return { id };
  }

  #open(now: string) {
    return this.db
      .selectFrom('store_invitation as i')
      .innerJoin('store as s', 's.id', 'i.store_id')
      .select(['i.id', 'i.store_id', 's.name as store_name', 'i.email', 'i.role', 'i.created_at', 'i.expires_at'])
      .where('i.accepted_at', 'is', null)
      .where('i.expires_at', '>', now);
  }

  async findOpenInvitation(tokenHash: string, now: string): Promise<StoreInvitation | undefined> {
    const row = await this.#open(now).where('i.token_hash', '=', tokenHash).executeTakeFirst();
    return row ? toInvitation(row) : undefined;
  }

  async acceptInvitation(id: string, now: string): Promise<boolean> {
    // One statement decides: of two tabs accepting the same link, only one wins.
    const result = await this.db
      .updateTable('store_invitation')
      .set({ accepted_at: now })
      .where('id', '=', id)
      .where('accepted_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async listOpenInvitations(storeId: string, now: string): Promise<StoreInvitation[]> {
    const rows = await this.#open(now).where('i.store_id', '=', storeId).orderBy('i.created_at', 'desc').execute();
    return rows.map(toInvitation);
  }

  /** Deletes invitations that expired before `before`, used or not: their links stopped working long ago. */
  async prune(before: string): Promise<number> {
    const result = await this.db.deleteFrom('store_invitation').where('expires_at', '<', before).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async revokeInvitation(storeId: string, id: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('store_invitation')
      .where('id', '=', id)
      .where('store_id', '=', storeId)
      .where('accepted_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }
}
