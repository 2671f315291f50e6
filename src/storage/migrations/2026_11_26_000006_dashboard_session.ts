import type { Kysely, Migration } from 'kysely';

import { columnTypes, type DialectName } from './column-types.js';

/**
 * Dashboard sign-in sessions. Only the SHA-256 of the cookie's token is kept,
 * so a copy of the database does not let anyone in; the CSRF token of the
 * session's forms lives beside it and dies with it.
 */
export function dashboardSession(dialect: DialectName): Migration {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('dashboard_session')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('user_id', t.id, (c) => c.notNull().references('app_user.id').onDelete('cascade'))
        // The store the user is looking at; a store deleted under them leaves the choice open again.
        .addColumn('store_id', t.id, (c) => c.references('store.id').onDelete('set null'))
        .addColumn('csrf_token', 'text', (c) => c.notNull())
        .addColumn('created_at', t.instant, (c) => c.notNull())
        .addColumn('last_seen_at', t.instant, (c) => c.notNull())
        .addColumn('expires_at', t.instant, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('dashboard_session_user_idx').on('dashboard_session').column('user_id').execute();
      await db.schema
        .createIndex('dashboard_session_expires_idx')
        .on('dashboard_session')
        .column('expires_at')
        .execute();
    },
    async down(db: Kysely<unknown>): Promise<void> {
      await db.schema.dropTable('dashboard_session').execute();
    },
  };
}
