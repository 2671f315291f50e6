import type { Kysely, Selectable } from 'kysely';

import type { DashboardSession, NewDashboardSession, SessionStore } from '../../core/ports/session.port.js';
import type { Database, DashboardSessionTable } from '../database.js';
import { newId } from '../ids.js';

function rowToSession(row: Selectable<DashboardSessionTable>): DashboardSession {
  return {
    id: row.id,
    userId: row.user_id,
    storeId: row.store_id,
    csrfToken: row.csrf_token,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    expiresAt: row.expires_at,
  };
}

/** Dashboard sessions, looked up by the hash of the cookie's token. */
export class SessionRepository implements SessionStore {
  constructor(private readonly db: Kysely<Database>) {}

  async createSession(input: NewDashboardSession, now: string): Promise<DashboardSession> {
    const row = await this.db
      .insertInto('dashboard_session')
      .values({
        id: newId(),
        token_hash: input.tokenHash,
        user_id: input.userId,
        store_id: input.storeId,
        csrf_token: input.csrfToken,
        created_at: now,
        last_seen_at: now,
        expires_at: input.expiresAt,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return rowToSession(row);
  }

  async findSessionByTokenHash(tokenHash: string): Promise<DashboardSession | undefined> {
    const row = await this.db
      .selectFrom('dashboard_session')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
    return row ? rowToSession(row) : undefined;
  }

  async touchSession(id: string, now: string): Promise<void> {
    await this.db.updateTable('dashboard_session').set({ last_seen_at: now }).where('id', '=', id).execute();
  }

  async setSessionStore(id: string, storeId: string, now: string): Promise<void> {
    await this.db
      .updateTable('dashboard_session')
      .set({ store_id: storeId, last_seen_at: now })
      .where('id', '=', id)
      .execute();
  }

  async deleteSession(id: string): Promise<void> {
    await this.db.deleteFrom('dashboard_session').where('id', '=', id).execute();
  }

  async deleteExpiredSessions(now: string, idleBefore: string): Promise<number> {
    const result = await this.db
      .deleteFrom('dashboard_session')
      .where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<=', idleBefore)]))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
